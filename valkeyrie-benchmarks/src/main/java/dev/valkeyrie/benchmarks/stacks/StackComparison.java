package dev.valkeyrie.benchmarks.stacks;

import dev.valkeyrie.benchmarks.LoadSuite.ClientFactory;
import dev.valkeyrie.etcdv2.internal.http.ApacheHttpTransport;
import java.time.Duration;
import java.util.List;

/**
 * The HTTP stacks compared behind the transport seam, each decoding with the backend's codec:
 * Apache HttpClient 5 async (what the backend used for everything before) with one and two I/O
 * threads; Apache's stock classic (blocking) client in the calling thread; the backend's transport
 * as its blocking calls use it (Apache's minimal classic client in the calling thread, lean
 * response parser, non-blocking health check); the JDK client; and a raw-socket floor.
 */
public final class StackComparison {
  private StackComparison() {}

  public static List<ClientFactory> clients() {
    return List.of(
        new ClientFactory("apache-async-1io", e -> new TransportClient("apache-async-1io",
            () -> apache(1, false), e, false)),
        new ClientFactory("apache-async-2io", e -> new TransportClient("apache-async-2io",
            () -> apache(2, false), e, false)),
        new ClientFactory("apache-classic", e -> new TransportClient("apache-classic",
            () -> new ApacheClassicTransport(64), e, false)),
        new ClientFactory("valkeyrie-transport", e -> new TransportClient("valkeyrie-transport",
            () -> apache(1, true), e, true)),
        new ClientFactory("jdk-httpclient", e -> new TransportClient("jdk-httpclient",
            JdkHttpTransport::new, e, false)),
        new ClientFactory("raw-socket", e -> new TransportClient("raw-socket",
            RawSocketTransport::new, e, false)));
  }

  static ApacheHttpTransport apache(int ioThreads, boolean callerThread) {
    return new ApacheHttpTransport(new ApacheHttpTransport.Settings(
        "bench-apache", ioThreads, 64, Duration.ofSeconds(5), null, null, callerThread));
  }

}
