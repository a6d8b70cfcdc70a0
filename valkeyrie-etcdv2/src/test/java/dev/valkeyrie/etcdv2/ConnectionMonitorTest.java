package dev.valkeyrie.etcdv2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.valkeyrie.store.ConnectionState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConnectionMonitorTest {
  private final ConnectionMonitor monitor = new ConnectionMonitor(Duration.ofSeconds(20));
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

    assertThat(heard).containsExactly(
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

    assertThat(heard).containsExactly(
        ConnectionState.CONNECTED, ConnectionState.SUSPENDED, ConnectionState.RECONNECTED);
  }

  @Test
  void failureBeforeAnySuccessIsSuspended() {
    monitor.failed();

    assertThat(monitor.state()).isEqualTo(ConnectionState.SUSPENDED);
    assertThat(heard).containsExactly(ConnectionState.SUSPENDED);
  }
}
