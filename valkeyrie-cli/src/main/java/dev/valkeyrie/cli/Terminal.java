package dev.valkeyrie.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What this process knows about its terminal (Linux: from {@code /proc/self/stat}). */
final class Terminal {
  private Terminal() {}

  /**
   * Whether this process is in the foreground process group of a terminal. Then a Ctrl-C (or a
   * hang-up) reaches every process of the group, including a command started by {@code lock}, so it
   * need not be forwarded to it. False when unknown.
   */
  static boolean inForegroundGroup() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
      // "pid (comm) state ppid pgrp session tty_nr tpgid ...": comm may contain spaces.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
      long pgrp = Long.parseLong(fields[2]);
      long foregroundGroup = Long.parseLong(fields[5]);
      return foregroundGroup > 0 && pgrp == foregroundGroup;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
