package dev.valkeyrie.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Loads the classes a typical run loads, so that {@code bin/valkeyrie} can record them once in a
 * class-data-sharing archive ({@code -XX:ArchiveClassesAtExit}) and start faster ever after. Runs
 * {@code get}, {@code put}, {@code ls} and {@code exists}, in both output formats, against a
 * stand-in for etcd's v2 API served by this JVM on 127.0.0.1, and the same with {@code --backend
 * etcdv3} against a gRPC stand-in ({@link GrpcStandIn}); contacts nothing else and prints nothing.
 */
public final class CdsTraining {
  private static final String KEY_NODE =
      "{\"key\":\"/training/key\",\"value\":\"value\",\"modifiedIndex\":7,\"createdIndex\":7}";
  private static final String DIR_NODE =
      "{\"key\":\"/training\",\"dir\":true,\"nodes\":["
          + KEY_NODE
          + "],\"modifiedIndex\":6,\"createdIndex\":6}";

  private CdsTraining() {}

  public static void main(String[] args) throws IOException {
    Main.configureLogging(false);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", CdsTraining::answer);
    server.start();
    try {
      String endpoint = "127.0.0.1:" + server.getAddress().getPort();
      PrintStream sink =
          new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
      Io io = new Io(new ByteArrayInputStream(new byte[] {'v'}), sink, sink, Map.of());
      for (String output : new String[] {"plain", "json"}) {
        Main.run(new String[] {"get", "training/key", "--endpoints", endpoint, "-o", output}, io);
        Main.run(new String[] {"ls", "training", "--endpoints", endpoint, "-o", output}, io);
        Main.run(
            new String[] {"exists", "training/key", "--endpoints", endpoint, "-o", output}, io);
      }
      Main.run(new String[] {"put", "training/key", "-", "--endpoints", endpoint}, io);
      Main.run(new String[] {"ls", "training", "--flat", "--endpoints", endpoint}, io);
      Main.run(new String[] {"get", "--help"}, io);
    } finally {
      server.stop(0);
    }
    try (GrpcStandIn v3 = GrpcStandIn.start()) {
      String endpoint = v3.endpoint();
      PrintStream sink =
          new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
      Io io =
          new Io(
              new ByteArrayInputStream(new byte[] {'v'}),
              sink,
              sink,
              Map.of("VALKEYRIE_BACKEND", "etcdv3", "VALKEYRIE_ENDPOINTS", endpoint));
      for (String output : new String[] {"plain", "json"}) {
        Main.run(new String[] {"get", "training/key", "-o", output}, io);
        Main.run(new String[] {"ls", "training", "-o", output}, io);
        Main.run(new String[] {"exists", "training/key", "-o", output}, io);
      }
      Main.run(new String[] {"put", "training/key", "-"}, io);
    }
  }

  /** Answers like etcd's v2 keys API: the key for reads and writes, the directory when listed. */
  private static void answer(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    String query = String.valueOf(exchange.getRequestURI().getRawQuery());
    boolean write = !exchange.getRequestMethod().equals("GET");
    String node = query.contains("recursive") ? DIR_NODE : KEY_NODE;
    byte[] body =
        ("{\"action\":\"" + (write ? "set" : "get") + "\",\"node\":" + node + "}")
            .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.getResponseHeaders().add("X-Etcd-Index", "7");
    exchange.sendResponseHeaders(write ? 201 : 200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
