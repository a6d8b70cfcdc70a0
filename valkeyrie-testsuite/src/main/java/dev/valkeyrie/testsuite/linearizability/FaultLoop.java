package dev.valkeyrie.testsuite.linearizability;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jspecify.annotations.Nullable;

/**
 * Calls the caller's fault action again and again while the clients run, with a pause after each
 * call, and keeps each fault's description with the time it started. A call in progress at the end
 * is allowed to finish (it may be undoing its fault); the first exception ends the loop.
 */
final class FaultLoop implements Runnable {

  private final LinearizabilityRun.FaultAction action;
  private final Duration pause;
  private final RunWindow window;
  private final Queue<String> faults = new ConcurrentLinkedQueue<>();
  private volatile @Nullable String failure;

  FaultLoop(LinearizabilityRun.FaultAction action, Duration pause, RunWindow window) {
    this.action = action;
    this.pause = pause;
    this.window = window;
  }

  @Override
  public void run() {
    try {
      window.awaitOpen();
      while (window.running()) {
        Duration at = window.elapsed();
        String description = action.inject();
        faults.add(
            String.format("+%d.%ds %s", at.toSeconds(), at.toMillisPart() / 100, description));
        if (window.awaitClosed(pause)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      failure = "the fault thread was interrupted: the fault action did not return in time";
    } catch (Exception | AssertionError e) {
      failure = "the fault action failed, so no more faults were injected: " + e;
    }
  }

  List<String> faults() {
    return List.copyOf(faults);
  }

  /** Why the loop ended early, or {@code null}. */
  @Nullable String failure() {
    return failure;
  }
}
