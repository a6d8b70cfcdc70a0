package dev.valkeyrie.etcdv3;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.valkeyrie.etcdv3.rpc.AuthGrpc;
import dev.valkeyrie.etcdv3.rpc.KVGrpc;
import dev.valkeyrie.etcdv3.rpc.LeaseGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** What the v3 tests share: bytes, figures, threads, raw gRPC access, etcdctl. */
final class TestSupport {
  private TestSupport() {}

  static byte[] utf8(String text) {
    return text.getBytes(UTF_8);
  }

  static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** Prints a measured figure on one line starting with {@code FIGURE:}. */
  static void figure(String format, Object... args) {
    System.out.println("FIGURE: " + String.format(Locale.ROOT, format, args));
  }

  /** What a thread of its own runs. */
  @FunctionalInterface
  interface Task<T> {
    T call() throws Exception;
  }

  /** Runs {@code task} on a new daemon thread; the future completes with its outcome. */
  static <T> CompletableFuture<T> onThread(String name, Task<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                result.complete(task.call());
              } catch (Throwable e) {
                result.completeExceptionally(e);
              }
            },
            "test-" + name);
    thread.setDaemon(true);
    thread.start();
    return result;
  }

  /** A plain channel of the test's own, to look at what the store wrote. */
  static final class Raw implements AutoCloseable {
    final ManagedChannel channel;

    Raw(String endpoint) {
      URI uri = URI.create(endpoint);
      channel =
          NettyChannelBuilder.forAddress(uri.getHost(), uri.getPort())
              .usePlaintext()
              .maxInboundMessageSize(64 << 20)
              .build();
    }

    KVGrpc.KVBlockingStub kv() {
      return KVGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    AuthGrpc.AuthBlockingStub auth() {
      return AuthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    LeaseGrpc.LeaseBlockingStub lease() {
      return LeaseGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      channel.shutdownNow();
      try {
        channel.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        // Not thrown: a close() that throws InterruptedException is an AutoCloseable lint warning.
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Runs {@code etcdctl} (API 3) against {@code endpoint}; returns its output. */
  static String etcdctl(String endpoint, String... args) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(List.of("etcdctl", "--endpoints=" + endpoint, "--command-timeout=10s"));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("etcdctl", ".out");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      process.getOutputStream().close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("etcdctl " + String.join(" ", args) + " did not end");
      }
      String output = Files.readString(out);
      if (process.exitValue() != 0) {
        throw new IOException(
            "etcdctl " + args[0] + " failed (" + process.exitValue() + "): " + output);
      }
      return output;
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** The live threads whose names start with one of {@code prefixes}, sorted. */
  static List<String> threadsNamed(String... prefixes) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> List.of(prefixes).stream().anyMatch(name::startsWith))
        .sorted()
        .collect(Collectors.toList());
  }
}
