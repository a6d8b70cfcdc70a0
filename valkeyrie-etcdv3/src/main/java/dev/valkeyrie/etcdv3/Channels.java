package dev.valkeyrie.etcdv3;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel per member, made on first use: the store, not gRPC, decides which member a
 * request goes to ({@link CallLayer}). Every channel shares the store's threads ({@link
 * StoreThreads}), pings only while it has calls (etcd refuses pings on idle connections and more
 * often than every 5 s: pitfall 22), accepts messages up to {@link
 * EtcdV3Config#maxInboundMessageBytes()} (pitfall 9), and never retries by itself (a gRPC retry
 * could resend a write: the call layer decides).
 */
final class Channels implements AutoCloseable {
  private static final String USER_AGENT = "valkeyrie-etcdv3";
  private static final long CLOSE_SECONDS = 10;

  private final EtcdV3Config config;
  private final StoreThreads threads;
  private final Map<URI, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final List<ManagedChannel> retired = new ArrayList<>(); // guarded by this
  private boolean closed; // guarded by this

  Channels(EtcdV3Config config, StoreThreads threads) {
    this.config = config;
    this.threads = threads;
  }

  /**
   * The channel to {@code member}. A channel that gave up connecting (TRANSIENT_FAILURE) is told to
   * try again at once rather than after gRPC's backoff (up to 2 minutes): the store only sends to a
   * member it has not passed over, so a member asked again deserves a fresh connection.
   */
  ManagedChannel channel(URI member) {
    ManagedChannel channel = channels.get(member);
    if (channel == null) {
      synchronized (this) {
        if (closed) {
          throw new IllegalStateException("the store's channels are closed");
        }
        channel = channels.computeIfAbsent(member, this::open);
      }
    }
    if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
      channel.resetConnectBackoff();
    }
    return channel;
  }

  private ManagedChannel open(URI member) {
    NettyChannelBuilder builder =
        NettyChannelBuilder.forAddress(member.getHost(), member.getPort())
            .eventLoopGroup(threads.io())
            .channelType(NioSocketChannel.class)
            .executor(threads.callbacks())
            .offloadExecutor(threads.callbacks())
            .withOption(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, config.connectionTimeout().toMillis()))
            .maxInboundMessageSize(config.maxInboundMessageBytes())
            .keepAliveTime(config.keepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
            .keepAliveTimeout(config.keepAliveTimeout().toNanos(), TimeUnit.NANOSECONDS)
            .keepAliveWithoutCalls(false)
            .disableRetry()
            .userAgent(USER_AGENT);
    TlsSettings tls = config.tls();
    if ("https".equals(member.getScheme()) && tls != null) {
      builder.sslContext(tls.context());
    } else {
      builder.usePlaintext();
    }
    return builder.build();
  }

  /**
   * Closes the channels of members that are no longer in {@code members}, letting their open calls
   * finish.
   */
  synchronized void retainOnly(Collection<URI> members) {
    // Over a copy, so that the loop does not remove from the view it is iterating.
    for (Map.Entry<URI, ManagedChannel> entry : List.copyOf(channels.entrySet())) {
      if (!members.contains(entry.getKey()) && channels.remove(entry.getKey(), entry.getValue())) {
        entry.getValue().shutdown();
        retired.add(entry.getValue());
      }
    }
  }

  /** Ends every call and stream on every channel, and waits until the channels are closed. */
  @Override
  public void close() {
    List<ManagedChannel> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(channels.values());
      all.addAll(retired);
      channels.clear();
      retired.clear();
    }
    for (ManagedChannel channel : all) {
      channel.shutdownNow();
    }
    try {
      for (ManagedChannel channel : all) {
        channel.awaitTermination(CLOSE_SECONDS, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
