package dev.valkeyrie.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Streams in memory, for running the command in-process where no store is needed. */
final class InMemoryIo {
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final Io io;

  InMemoryIo() {
    this(Map.of(), new byte[0]);
  }

  InMemoryIo(Map<String, String> env, byte[] stdin) {
    io =
        new Io(
            new ByteArrayInputStream(stdin),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env);
  }

  /** Runs the command; returns its exit code. */
  int run(String... args) {
    return Main.run(args, io);
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  List<String> errLines() {
    return err().lines().toList();
  }
}
