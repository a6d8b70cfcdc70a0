package dev.valkeyrie.benchmarks.v3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The library versions of this build (from the pom, by resource filtering), for the report. */
final class GrpcVersions {
  static final String GRPC;
  static final String PROTOBUF;
  static final String JETCD;
  static final String NETTY;

  static {
    Properties p = new Properties();
    try (InputStream in = GrpcVersions.class.getResourceAsStream("versions.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    GRPC = p.getProperty("grpc", "?");
    PROTOBUF = p.getProperty("protobuf", "?");
    JETCD = p.getProperty("jetcd", "?");
    NETTY = p.getProperty("netty", "?");
  }

  private GrpcVersions() {}
}
