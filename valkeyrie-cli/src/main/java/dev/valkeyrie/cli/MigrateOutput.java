package dev.valkeyrie.cli;

import dev.valkeyrie.migrate.CopyResult;
import dev.valkeyrie.migrate.Difference;
import dev.valkeyrie.migrate.FollowResult;
import dev.valkeyrie.migrate.MigrationPlan;
import dev.valkeyrie.migrate.Progress;
import dev.valkeyrie.migrate.Verification;
import java.io.PrintStream;
import java.util.Locale;

/**
 * What {@code migrate} prints: on a terminal a progress bar on standard error (keys copied of
 * total, keys/s, time left), redrawn at most every 100 ms; with {@code -o json} one object per
 * progress step and per difference on standard output; and a summary at the end.
 */
final class MigrateOutput {
  private static final long REDRAW_NANOS = 100_000_000L;
  private static final int BAR = 30;

  private final Output out;
  private final PrintStream err;
  private final boolean json;
  private final boolean terminal;
  private long lastDraw;
  private boolean drawn;

  MigrateOutput(Io io, boolean json, boolean terminal) {
    this.out = new Output(io.out(), json ? OutputFormat.JSON : OutputFormat.PLAIN);
    this.err = io.err();
    this.json = json;
    this.terminal = terminal && !json;
  }

  void progress(Progress p) {
    if (json) {
      out.object(
          g -> {
            g.writeStringField("event", "progress");
            g.writeStringField("phase", p.phase().name().toLowerCase(Locale.ROOT));
            g.writeNumberField("done", p.done());
            g.writeNumberField("total", p.total());
            g.writeNumberField("perSecond", Math.round(p.perSecond()));
            if (p.remaining().isPresent()) {
              g.writeNumberField("remainingSeconds", p.remaining().get().toSeconds());
            }
            g.writeNumberField("index", p.index());
          });
      return;
    }
    if (!terminal) {
      return;
    }
    long now = System.nanoTime();
    boolean last = p.total() > 0 && p.done() >= p.total();
    if (drawn && !last && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    drawn = true;
    err.print("\r" + bar(p) + "\033[K");
    err.flush();
  }

  private static String bar(Progress p) {
    return switch (p.phase()) {
      case READING -> "reading v2 and v3...";
      case COPYING -> {
        int filled = p.total() == 0 ? BAR : (int) (BAR * p.done() / p.total());
        yield String.format(
            Locale.ROOT,
            "[%s%s] %,d/%,d keys  %,.0f keys/s  %s left",
            "#".repeat(filled),
            ".".repeat(BAR - filled),
            p.done(),
            p.total(),
            p.perSecond(),
            p.remaining().map(d -> d.toSeconds() + " s").orElse("--"));
      }
      case FOLLOWING ->
          String.format(
              Locale.ROOT, "following: %,d changes applied, v2 index %d", p.done(), p.index());
    };
  }

  /** Ends a progress bar line, before anything else is printed. */
  void end() {
    if (drawn) {
      err.println();
      drawn = false;
    }
  }

  void copied(CopyResult result) {
    end();
    MigrationPlan plan = result.plan();
    if (json) {
      out.object(
          g -> {
            g.writeStringField("event", "copied");
            planFields(g, plan);
            g.writeNumberField("revision", result.revision());
            g.writeNumberField("seconds", result.elapsed().toMillis() / 1000.0);
            g.writeNumberField("keysPerSecond", Math.round(result.keysPerSecond()));
          });
      return;
    }
    out.line(
        String.format(
            Locale.ROOT,
            "copied v2 index %d: %,d keys written (%,d with a TTL on %,d leases), %,d deleted,"
                + " %,d unchanged, in %,d txns, %.1f s (%,.0f keys/s)",
            plan.index(),
            plan.puts(),
            plan.ttlKeys(),
            plan.leases(),
            plan.deletes(),
            plan.unchanged(),
            plan.transactions(),
            result.elapsed().toMillis() / 1000.0,
            result.keysPerSecond()));
    notCopyable(plan);
  }

  void plan(MigrationPlan plan, String target) {
    if (json) {
      out.object(
          g -> {
            g.writeStringField("event", "plan");
            planFields(g, plan);
          });
      return;
    }
    out.line(
        String.format(
            Locale.ROOT,
            "dry run at v2 index %d: %,d keys in v2; would write %,d (%,d with a TTL on %,d"
                + " leases), delete %,d, leave %,d unchanged, in %,d txns of about %,d bytes in all",
            plan.index(),
            plan.sourceKeys(),
            plan.puts(),
            plan.ttlKeys(),
            plan.leases(),
            plan.deletes(),
            plan.unchanged(),
            plan.transactions(),
            plan.bytes()));
    if (plan.foreignKeys() > 0) {
      out.line(
          String.format(
              Locale.ROOT,
              "the target %s holds %,d keys this migration did not write: a copy needs --merge",
              target,
              plan.foreignKeys()));
    }
    notCopyable(plan);
  }

  private void notCopyable(MigrationPlan plan) {
    for (String reason : plan.notCopyable()) {
      out.line("not copyable: " + reason);
    }
  }

  private static void planFields(com.fasterxml.jackson.core.JsonGenerator g, MigrationPlan plan)
      throws java.io.IOException {
    g.writeNumberField("index", plan.index());
    g.writeNumberField("sourceKeys", plan.sourceKeys());
    g.writeNumberField("puts", plan.puts());
    g.writeNumberField("deletes", plan.deletes());
    g.writeNumberField("unchanged", plan.unchanged());
    g.writeNumberField("ttlKeys", plan.ttlKeys());
    g.writeNumberField("leases", plan.leases());
    g.writeNumberField("transactions", plan.transactions());
    g.writeNumberField("bytes", plan.bytes());
    g.writeNumberField("foreignKeys", plan.foreignKeys());
    g.writeArrayFieldStart("notCopyable");
    for (String reason : plan.notCopyable()) {
      g.writeString(reason);
    }
    g.writeEndArray();
  }

  void verification(Verification v) {
    end();
    for (Difference d : v.differences()) {
      if (json) {
        out.object(
            g -> {
              g.writeStringField("event", "difference");
              g.writeStringField("key", d.key());
              g.writeStringField("kind", d.kind().name().toLowerCase(Locale.ROOT));
              g.writeStringField("detail", d.detail());
            });
      } else {
        out.line(
            String.format(
                Locale.ROOT,
                "%-17s %s: %s",
                d.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                d.key(),
                d.detail()));
      }
    }
    if (json) {
      out.object(
          g -> {
            g.writeStringField("event", "verified");
            g.writeBooleanField("match", v.matches());
            g.writeNumberField("keys", v.keysCompared());
            g.writeNumberField("differences", v.differences().size());
            g.writeNumberField("index", v.index());
            g.writeNumberField("revision", v.revision());
          });
      return;
    }
    out.line(
        v.matches()
            ? String.format(
                Locale.ROOT,
                "v2 and v3 match: %,d keys (v2 index %d, v3 revision %d)",
                v.keysCompared(),
                v.index(),
                v.revision())
            : String.format(
                Locale.ROOT,
                "%,d difference(s) in %,d keys (v2 index %d, v3 revision %d)",
                v.differences().size(),
                v.keysCompared(),
                v.index(),
                v.revision()));
  }

  void resuming() {
    if (json) {
      out.object(g -> g.writeStringField("event", "resuming"));
    } else {
      out.line("a copy completed before: following from the last change applied");
    }
  }

  void stopped(FollowResult result) {
    end();
    if (json) {
      out.object(
          g -> {
            g.writeStringField("event", "stopped");
            g.writeNumberField("appliedIndex", result.appliedIndex());
            g.writeNumberField("changesApplied", result.changesApplied());
            g.writeNumberField("reconciliations", result.reconciliations());
          });
      return;
    }
    out.line(
        String.format(
            Locale.ROOT,
            "stopped: %,d changes applied, up to v2 index %d (%d re-read(s) after falling behind)",
            result.changesApplied(),
            result.appliedIndex(),
            result.reconciliations()));
  }
}
