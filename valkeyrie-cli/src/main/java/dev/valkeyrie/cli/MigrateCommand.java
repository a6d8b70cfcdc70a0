package dev.valkeyrie.cli;

import dev.valkeyrie.etcdv2.EtcdV2Config;
import dev.valkeyrie.etcdv3.EtcdV3Config;
import dev.valkeyrie.migrate.CopyResult;
import dev.valkeyrie.migrate.FollowResult;
import dev.valkeyrie.migrate.Migration;
import dev.valkeyrie.migrate.MigrationConflictException;
import dev.valkeyrie.migrate.TargetNotEmptyException;
import dev.valkeyrie.migrate.Verification;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code migrate --from V2 --to V3}: the v2-to-v3 migration of valkeyrie-migrate. */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    header = "Copy a live etcd v2 tree into the v3 key space, follow its changes, verify the copy.",
    description = {
      "Copies the v2 tree (or --prefix DIR) at one index into v3, where the etcdv3 backend reads"
          + " every key back under the same name, byte for byte: TTL keys on leases with their"
          + " remaining TTL, directories as keys with the empty value, lock side keys left out."
          + " Run again, it repairs: writes what differs, deletes what it wrote that v2 no longer"
          + " has.",
      "--follow: then applies every v2 change in index order until Ctrl-C or SIGTERM (exit 0);"
          + " run again, it resumes after the last change it applied.",
      "--verify: copies nothing; compares both sides and prints each difference (exit 0: they"
          + " match, 1: they differ). --dry-run: what a copy would write.",
      "The global --user/--password/--cacert/--cert/--key apply to both sides; --from-* and"
          + " --to-* override them per side. It refuses (exit 1) a target holding keys it did not"
          + " write, unless --merge. Its state is kept in v3 under _valkeyrie_migrate/."
    })
final class MigrateCommand extends BaseCommand {

  @Mixin RequestTimeoutOption timeout = new RequestTimeoutOption();

  @Option(
      names = "--from",
      required = true,
      split = ",",
      paramLabel = "HOST:PORT",
      description = "The v2 members (etcd 3.4/3.5 with --enable-v2), comma-separated.")
  List<String> from = List.of();

  @Option(
      names = "--to",
      required = true,
      split = ",",
      paramLabel = "HOST:PORT",
      description = "The v3 members, comma-separated (may be the same etcd).")
  List<String> to = List.of();

  @Option(
      names = "--prefix",
      paramLabel = "DIR",
      description = "The v2 directory to move, with everything below it (default: the whole tree).")
  String prefix = "";

  @Option(names = "--follow", description = "After the copy, apply v2's changes until stopped.")
  boolean follow;

  @Option(names = "--verify", description = "Compare both sides only; write nothing.")
  boolean verify;

  @Option(names = "--dry-run", description = "Show what a copy would write; write nothing.")
  boolean dryRun;

  @Option(
      names = "--merge",
      description = "Copy over keys in the target that this migration did not write.")
  boolean merge;

  @Option(names = "--from-user", paramLabel = "NAME", description = "v2 user (default: --user).")
  @Nullable String fromUser;

  @Option(
      names = "--from-password",
      paramLabel = "PASSWORD",
      description = "v2 password (default: --password; $VALKEYRIE_FROM_PASSWORD). Never printed.")
  @Nullable String fromPassword;

  @Option(names = "--from-cacert", paramLabel = "FILE", description = "v2 CA (default: --cacert).")
  @Nullable Path fromCaCert;

  @Option(names = "--from-cert", paramLabel = "FILE", description = "v2 client certificate.")
  @Nullable Path fromCert;

  @Option(names = "--from-key", paramLabel = "FILE", description = "v2 client key.")
  @Nullable Path fromKey;

  @Option(names = "--to-user", paramLabel = "NAME", description = "v3 user (default: --user).")
  @Nullable String toUser;

  @Option(
      names = "--to-password",
      paramLabel = "PASSWORD",
      description = "v3 password (default: --password; $VALKEYRIE_TO_PASSWORD). Never printed.")
  @Nullable String toPassword;

  @Option(names = "--to-cacert", paramLabel = "FILE", description = "v3 CA (default: --cacert).")
  @Nullable Path toCaCert;

  @Option(names = "--to-cert", paramLabel = "FILE", description = "v3 client certificate.")
  @Nullable Path toCert;

  @Option(names = "--to-key", paramLabel = "FILE", description = "v3 client key.")
  @Nullable Path toKey;

  @Override
  RequestTimeoutOption requestTimeout() {
    return timeout;
  }

  @Override
  public Integer call() throws Exception {
    if (verify && (follow || dryRun || merge)) {
      throw new UsageException(
          "--verify compares only: it takes no --follow, --dry-run or --merge");
    }
    if (dryRun && follow) {
      throw new UsageException("--dry-run writes nothing: it takes no --follow");
    }
    // On JDK 17 System.console() is null unless both standard streams are a terminal.
    @SuppressWarnings("SystemConsoleNull")
    boolean terminal = System.console() != null;
    MigrateOutput out = new MigrateOutput(io(), json(), terminal);
    try (Migration migration =
        Migration.builder()
            .source(from, v2Config())
            .target(to, v3Config())
            .prefix(prefix)
            .merge(merge)
            .progress(out::progress)
            .build()) {
      if (verify) {
        Verification verification = migration.verify();
        out.verification(verification);
        return verification.matches() ? ExitCodes.OK : ExitCodes.NO;
      }
      if (dryRun) {
        out.plan(migration.dryRun(), migration.describeTarget());
        return ExitCodes.OK;
      }
      return follow ? copyAndFollow(migration, out) : copy(migration, out);
    } catch (TargetNotEmptyException | MigrationConflictException e) {
      out.end();
      io().err().println("valkeyrie: " + e.getMessage());
      return ExitCodes.NO;
    }
  }

  private int copy(Migration migration, MigrateOutput out) {
    CopyResult result = migration.copy();
    out.copied(result);
    return ExitCodes.OK;
  }

  private int copyAndFollow(Migration migration, MigrateOutput out) {
    try (Interruption interruption = Interruption.ofCurrentThread()) {
      if (interruption.arm()) {
        return ExitCodes.OK;
      }
      try {
        if (migration.hasCompletedCopy()) {
          out.resuming();
        } else {
          out.copied(migration.copy());
        }
        FollowResult result = migration.follow();
        out.stopped(result);
        return ExitCodes.OK;
      } catch (RuntimeException e) {
        if (interruption.requested()) {
          out.end();
          io().err().println("valkeyrie: interrupted: " + ExitCodes.message(e));
          return ExitCodes.signalled("INT");
        }
        throw e;
      } finally {
        interruption.disarm();
      }
    }
  }

  private boolean json() {
    OutputFormat format = global.output != null ? global.output : top.global.output;
    return format == OutputFormat.JSON;
  }

  private Duration requestTimeoutValue() {
    Duration own = timeout.timeout != null ? timeout.timeout : top.timeout.timeout;
    if (own != null && own.isZero()) {
      throw new UsageException("--timeout must be longer than zero");
    }
    return own == null ? Settings.DEFAULT_REQUEST_TIMEOUT : own;
  }

  // tls(ca, cert, key) takes null for a file not given (a CA alone, or client files alone).
  @SuppressWarnings("NullAway")
  private EtcdV2Config v2Config() {
    Side side =
        side(fromUser, fromPassword, "VALKEYRIE_FROM_PASSWORD", fromCaCert, fromCert, fromKey);
    EtcdV2Config.Builder b = EtcdV2Config.builder().requestTimeout(requestTimeoutValue());
    if (side.user != null) {
      b.username(side.user);
    }
    if (side.password != null) {
      b.password(side.password);
    }
    if (side.tls()) {
      b.tls(side.caCert, side.cert, side.key);
    }
    return b.build();
  }

  @SuppressWarnings("NullAway") // as v2Config
  private EtcdV3Config v3Config() {
    Side side = side(toUser, toPassword, "VALKEYRIE_TO_PASSWORD", toCaCert, toCert, toKey);
    EtcdV3Config.Builder b = EtcdV3Config.builder().requestTimeout(requestTimeoutValue());
    if (side.user != null) {
      b.username(side.user);
    }
    if (side.password != null) {
      b.password(side.password);
    }
    Integer maxRequestBytes =
        global.maxRequestBytes != null ? global.maxRequestBytes : top.global.maxRequestBytes;
    if (maxRequestBytes != null) {
      b.maxRequestBytes(maxRequestBytes);
    }
    if (side.tls()) {
      b.tls(side.caCert, side.cert, side.key);
    }
    return b.build();
  }

  /** One side's credentials and TLS files: its own options, else the global ones. */
  private record Side(
      @Nullable String user,
      @Nullable String password,
      @Nullable Path caCert,
      @Nullable Path cert,
      @Nullable Path key) {
    boolean tls() {
      return caCert != null || cert != null || key != null;
    }
  }

  private Side side(
      @Nullable String user,
      @Nullable String password,
      String passwordEnv,
      @Nullable Path caCert,
      @Nullable Path cert,
      @Nullable Path key) {
    String globalPassword = pick(global.password, top.global.password);
    if (GlobalOptions.ASK.equals(globalPassword)) {
      throw new UsageException(
          "migrate needs --password with a value (or $" + Settings.PASSWORD_ENV + ")");
    }
    return new Side(
        pick(user, pick(global.user, pick(top.global.user, io().env(Settings.USER_ENV)))),
        pick(
            password,
            pick(io().env(passwordEnv), pick(globalPassword, io().env(Settings.PASSWORD_ENV)))),
        pick(caCert, pick(global.caCert, top.global.caCert)),
        pick(cert, pick(global.cert, top.global.cert)),
        pick(key, pick(global.key, top.global.key)));
  }

  private static <T> @Nullable T pick(@Nullable T first, @Nullable T second) {
    return first != null ? first : second;
  }
}
