package dev.valkeyrie.cli;

import dev.valkeyrie.store.Lease;
import dev.valkeyrie.store.LockOptions;
import dev.valkeyrie.store.Locker;
import dev.valkeyrie.store.StoreException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lock KEY -- COMMAND}: runs a command while holding {@code Store.newLock(KEY)}. */
@Command(
    name = "lock",
    mixinStandardHelpOptions = true,
    abbreviateSynopsis = true,
    header = "Run a command while holding a distributed lock.",
    description = {
      "Like flock(1) across machines: waits for the lock on KEY, runs COMMAND with this"
          + " terminal's input and output, releases the lock when COMMAND ends, and exits with"
          + " COMMAND's exit code.",
      "If the lock is lost while COMMAND runs (not renewed within --ttl, or removed by someone"
          + " else), COMMAND gets SIGTERM, SIGKILL after --grace, and lock exits with 4.",
      "SIGINT, SIGTERM and SIGHUP are passed on to COMMAND (SIGINT and SIGHUP only when it did"
          + " not get them from the terminal itself). COMMAND sees VALKEYRIE_LOCK_KEY and"
          + " VALKEYRIE_LOCK_FENCING_TOKEN, which increases with every holder.",
      "Put -- before COMMAND. Here --timeout is how long to wait for the lock (exit 1 when it"
          + " passes); a request timeout goes before the word lock."
    })
final class LockCommand extends BaseCommand {
  static final List<String> SIGNALS = List.of("INT", "TERM", "HUP");

  @Parameters(index = "0", paramLabel = "KEY", description = "The lock's key.")
  String key;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "COMMAND",
      description = "The command and its arguments.")
  List<String> command;

  @Option(
      names = "--ttl",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "How long the lock outlives a holder that stops renewing it (default 20s, at"
              + " least 1s); renewed every third of it.")
  Duration ttl = LockOptions.DEFAULT_TTL;

  @Option(
      names = "--value",
      paramLabel = "V",
      description = "Written under KEY while the lock is held (e.g. the host name).")
  @Nullable String value;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Give up waiting for the lock after this long (exit 1). Default: wait as long as it takes.")
  @Nullable Duration timeout;

  @Option(
      names = "--grace",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "After the lock is lost, how long COMMAND may take to exit after SIGTERM before SIGKILL (default 10s).")
  Duration grace = Duration.ofSeconds(10);

  @Override
  @SuppressWarnings("try") // signals is held for its side effect
  public Integer call() throws Exception {
    Settings settings = settings();
    if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new UsageException("--ttl must be at least 1s, was " + DurationConverter.format(ttl));
    }
    LockOptions options =
        LockOptions.builder()
            .ttl(ttl)
            .value(value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8))
            .build();
    PrintStream err = io().err();
    SignalRelay relay = new SignalRelay(Thread.currentThread());
    try (Signals signals = Signals.handle(SIGNALS, relay::signalled);
        StoreSession session = StoreSession.open(settings, err, true)) {
      // Fails fast (exit 3) when no member answers; waiting for the lock would retry in silence.
      session.store().exists(key);
      Locker locker = session.store().newLock(key, options);
      Optional<Lease> lease;
      relay.interrupting(true);
      try {
        lease =
            relay.received() != null
                ? Optional.empty()
                : timeout == null ? Optional.of(locker.lock()) : locker.tryLock(timeout);
      } catch (InterruptedException e) {
        lease = Optional.empty();
      } finally {
        relay.interrupting(false);
      }
      if (relay.received() != null) {
        lease.ifPresent(l -> release(l, err));
        err.println(
            "valkeyrie: interrupted (SIG"
                + relay.received()
                + ") while waiting for the"
                + " lock on '"
                + key
                + "'");
        return ExitCodes.signalled(relay.received());
      }
      if (lease.isEmpty()) {
        err.println(
            "valkeyrie: the lock on '"
                + key
                + "' was not acquired within "
                + DurationConverter.format(Objects.requireNonNull(timeout, "timeout"))
                + " (--timeout)");
        return ExitCodes.NO;
      }
      try {
        return new LockedRun(key, command, grace, err).run(lease.get(), relay);
      } finally {
        release(lease.get(), err);
      }
    }
  }

  private void release(Lease lease, PrintStream err) {
    try {
      lease.close();
    } catch (StoreException e) {
      err.println(
          "valkeyrie: could not release the lock on '"
              + key
              + "'; it expires within "
              + DurationConverter.format(ttl)
              + ": "
              + ExitCodes.message(e));
    }
  }
}
