package dev.valkeyrie.testsuite.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.store.ConnectionState;
import dev.valkeyrie.store.ListenerRegistration;
import dev.valkeyrie.store.spi.ConnectionMonitor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared connection-state tracking, on a manual clock: no test waits in real time. */
class ConnectionMonitorTest {
  private final ManualClock clock = new ManualClock();
  private final ConnectionMonitor monitor =
      new ConnectionMonitor(Duration.ofSeconds(20), Duration.ofSeconds(1), clock, clock);
  private final List<ConnectionState> heard = new CopyOnWriteArrayList<>();

  @BeforeEach
  void listen() {
    monitor.addListener(heard::add, Runnable::run);
  }

  @Test
  void noStateBeforeTheFirstRequest() {
    assertThat(monitor.state()).isNull();
    assertThat(heard).isEmpty();
  }

  @Test
  void firstSuccessIsConnected() {
    monitor.succeeded();

    assertThat(monitor.state()).isEqualTo(ConnectionState.CONNECTED);
    assertThat(heard).containsExactly(ConnectionState.CONNECTED);
  }

  @Test
  void failureAfterSuccessSuspendsAndTheNextSuccessReconnects() {
    monitor.succeeded();
    monitor.failed();
    monitor.succeeded();

    assertThat(heard)
        .containsExactly(
            ConnectionState.CONNECTED, ConnectionState.SUSPENDED, ConnectionState.RECONNECTED);
  }

  @Test
  void eachStateIsAnnouncedOnceWhenEntered() {
    monitor.succeeded();
    monitor.succeeded();
    monitor.failed();
    monitor.failed();
    monitor.succeeded();
    monitor.succeeded();

    assertThat(heard)
        .containsExactly(
            ConnectionState.CONNECTED, ConnectionState.SUSPENDED, ConnectionState.RECONNECTED);
  }

  @Test
  void failureBeforeAnySuccessIsSuspended() {
    monitor.failed();

    assertThat(monitor.state()).isEqualTo(ConnectionState.SUSPENDED);
    assertThat(heard).containsExactly(ConnectionState.SUSPENDED);
  }

  @Test
  void whileSuspendedTheProbeRunsOncePerPeriod() {
    AtomicInteger probes = new AtomicInteger();
    monitor.probeWith(
        () -> {
          probes.incrementAndGet();
          return CompletableFuture.completedFuture(null);
        });
    monitor.failed();

    clock.advance(Duration.ofMillis(3_500));

    assertThat(probes).hasValue(3);
  }

  @Test
  void aSuccessfulProbeReconnectsAndStopsProbing() {
    AtomicInteger probes = new AtomicInteger();
    monitor.probeWith(
        () -> {
          probes.incrementAndGet();
          monitor.succeeded(); // the probe's request got an answer
          return CompletableFuture.completedFuture(null);
        });
    monitor.succeeded();
    monitor.failed();

    clock.advance(Duration.ofSeconds(5));

    assertThat(probes).hasValue(1);
    assertThat(heard)
        .containsExactly(
            ConnectionState.CONNECTED, ConnectionState.SUSPENDED, ConnectionState.RECONNECTED);
  }

  @Test
  void suspendedForTheLossTimeoutIsLost() {
    monitor.probeWith(() -> CompletableFuture.completedFuture(null)); // the cluster stays away
    monitor.succeeded();
    monitor.failed();

    clock.advance(Duration.ofSeconds(19));
    assertThat(monitor.state()).isEqualTo(ConnectionState.SUSPENDED);

    clock.advance(Duration.ofSeconds(1));
    assertThat(monitor.state()).isEqualTo(ConnectionState.LOST);
    assertThat(heard)
        .containsExactly(
            ConnectionState.CONNECTED, ConnectionState.SUSPENDED, ConnectionState.LOST);
  }

  @Test
  void aLostStoreThatIsServedAgainIsReconnected() {
    monitor.succeeded();
    monitor.failed();
    clock.advance(Duration.ofSeconds(21));

    monitor.succeeded();

    assertThat(heard)
        .containsExactly(
            ConnectionState.CONNECTED,
            ConnectionState.SUSPENDED,
            ConnectionState.LOST,
            ConnectionState.RECONNECTED);
  }

  @Test
  void aRemovedListenerHearsNothingMore() {
    List<ConnectionState> other = new CopyOnWriteArrayList<>();
    ListenerRegistration registration = monitor.addListener(other::add, Runnable::run);
    monitor.succeeded();

    registration.close();
    monitor.failed();

    assertThat(other).containsExactly(ConnectionState.CONNECTED);
    assertThat(heard).containsExactly(ConnectionState.CONNECTED, ConnectionState.SUSPENDED);
  }

  @Test
  void aClosedMonitorStopsProbing() {
    AtomicInteger probes = new AtomicInteger();
    monitor.probeWith(
        () -> {
          probes.incrementAndGet();
          return CompletableFuture.completedFuture(null);
        });
    monitor.failed();

    monitor.close();
    clock.advance(Duration.ofSeconds(5));

    assertThat(probes).hasValue(0);
  }
}
