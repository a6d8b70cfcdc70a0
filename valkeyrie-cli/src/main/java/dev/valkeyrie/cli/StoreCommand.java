package dev.valkeyrie.cli;

import picocli.CommandLine.Mixin;

/**
 * A command that works on the store: checks its arguments, opens the store (starting a local etcd
 * when no endpoint is given), runs, and closes everything again. Commands that run until
 * interrupted ({@link #endsOnSignal()}) end cleanly, with exit code 0, on SIGINT or SIGTERM.
 */
abstract class StoreCommand extends BaseCommand {

  @Mixin RequestTimeoutOption timeout = new RequestTimeoutOption();

  @Override
  RequestTimeoutOption requestTimeout() {
    return timeout;
  }

  /** Checks the arguments before anything is opened. */
  void check() {}

  /**
   * Checks, before anything is opened, that the arguments mean something on {@code backend}.
   *
   * @throws UsageException for an option the backend cannot honour
   */
  void check(Backend backend) {}

  /** Whether SIGINT and SIGTERM end this command cleanly (exit 0) instead of aborting it. */
  boolean endsOnSignal() {
    return false;
  }

  /** Whether to say on standard error that a local etcd was started. */
  boolean announceLocalEtcd() {
    return true;
  }

  /** Does the work; returns the exit code. */
  abstract int run(StoreSession session, Output out) throws Exception;

  @Override
  public Integer call() throws Exception {
    Settings settings = settings();
    check();
    check(settings.backend());
    Output out = new Output(io().out(), settings.output());
    if (!endsOnSignal()) {
      try (StoreSession session = StoreSession.open(settings, io().err(), announceLocalEtcd())) {
        return run(session, out);
      }
    }
    try (Interruption interruption = Interruption.ofCurrentThread();
        StoreSession session = StoreSession.open(settings, io().err(), announceLocalEtcd())) {
      if (interruption.arm()) {
        return ExitCodes.OK;
      }
      try {
        return run(session, out);
      } catch (Exception | Error e) {
        if (interruption.requested()) {
          return ExitCodes.OK;
        }
        throw e;
      } finally {
        interruption.disarm(); // before the session closes: closing is never interrupted
      }
    }
  }
}
