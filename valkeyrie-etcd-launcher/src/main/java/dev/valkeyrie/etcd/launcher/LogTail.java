package dev.valkeyrie.etcd.launcher;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Reads the end of a member's log file for error messages. */
final class LogTail {
  static final int LINES = 40;
  // Enough for 40 long zap lines; avoids reading a log that grew large during a long test.
  private static final int MAX_BYTES = 64 * 1024;

  private LogTail() {}

  static List<String> lastLines(Path file, int lines) {
    String text = readTail(file);
    if (text.isEmpty()) {
      return List.of();
    }
    List<String> all = Arrays.asList(text.split("\\R"));
    return all.subList(Math.max(0, all.size() - lines), all.size());
  }

  static boolean contains(Path file, String needle) {
    return readTail(file).contains(needle);
  }

  /** A block for exception messages: the log path and its last lines, indented. */
  static String describe(Path file) {
    List<String> lines = lastLines(file, LINES);
    StringBuilder out = new StringBuilder("log ").append(file);
    if (lines.isEmpty()) {
      return out.append(" is empty or missing").toString();
    }
    out.append(", last ").append(lines.size()).append(" lines:");
    for (String line : lines) {
      out.append(System.lineSeparator()).append("    ").append(line);
    }
    return out.toString();
  }

  private static String readTail(Path file) {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      int size = (int) Math.min(length, MAX_BYTES);
      byte[] bytes = new byte[size];
      in.seek(length - size);
      in.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
