package dev.valkeyrie.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.valkeyrie.store.KVPair;
import dev.valkeyrie.store.KeyEvent;
import dev.valkeyrie.store.KeyExistsException;
import dev.valkeyrie.store.KeyModifiedException;
import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.KeyTypeException;
import dev.valkeyrie.store.Lease;
import dev.valkeyrie.store.LockOptions;
import dev.valkeyrie.store.Locker;
import dev.valkeyrie.store.Store;
import dev.valkeyrie.store.StoreException;
import dev.valkeyrie.store.Watch;
import dev.valkeyrie.store.WriteOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * The narration of {@code valkeyrie demo}. Each step is written the way the command line says it
 * ({@code put KEY VALUE}, {@code cas ...}), then what the store answered.
 */
final class Demo {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final StoreSession session;
  private final Store store;
  private final Output out;
  private final String root;
  private int step;

  Demo(StoreSession session, Output out) {
    this.session = session;
    this.store = session.store();
    this.out = out;
    this.root =
        session.embedded()
            ? "demo"
            : "valkeyrie-demo-" + UUID.randomUUID().toString().substring(0, 8);
  }

  void run() throws Exception {
    out.line(
        "valkeyrie demo: a walk through the Store API; each step shows the call, in the"
            + " command's own words, and what came back.");
    if (session.embedded()) {
      out.line(
          "No endpoint given, so this runs on a throwaway local etcd at "
              + String.join(",", session.endpoints())
              + ", removed when the demo ends"
              + (v3() ? "; it speaks etcd's v3 API (--backend etcdv3)." : "."));
    } else {
      out.line(
          "Running on "
              + String.join(",", session.endpoints())
              + ", below "
              + root
              + "/, which is deleted at the end.");
    }
    try {
      putAndGet();
      if (v3()) {
        flatKeys();
      } else {
        directories();
      }
      list();
      atomics();
      watch();
      locks();
    } finally {
      if (!session.embedded()) {
        store.deleteTree(root);
      }
    }
    out.line("");
    out.line(
        session.embedded()
            ? "Done. The local etcd is stopped and its data directory deleted as this command exits."
            : "Done. " + root + "/ is deleted.");
  }

  private void putAndGet() {
    step("put and get");
    store.put(key("config/greeting"), utf8("hello, etcd"));
    said("put " + key("config/greeting") + " 'hello, etcd'", "ok");
    KVPair greeting = store.get(key("config/greeting"));
    said("get " + key("config/greeting"), describe(greeting));
  }

  private void directories() {
    step("directories: etcd v2 keeps keys and directories apart");
    store.put(key("services/web/1"), utf8("10.0.0.1:8080"));
    store.put(key("services/web/2"), utf8("10.0.0.2:8080"));
    said(
        "put " + key("services/web/1") + " 10.0.0.1:8080, and .../2",
        "ok: " + key("services") + " and " + key("services/web") + " are now directories");
    try {
      store.put(key("services/web"), utf8("oops"));
      said("put " + key("services/web") + " oops", "ok (unexpected)");
    } catch (KeyTypeException e) {
      said(
          "put " + key("services/web") + " oops",
          refused(e) + ": a directory holds no value, so keep values on leaves");
    }
    store.put(key("jobs"), null, WriteOptions.builder().isDir(true).build());
    said("put " + key("jobs") + " --dir", "ok: an empty directory, which watch-tree can watch");
    store.put(key("jobs"), null, WriteOptions.builder().isDir(true).build());
    said("put " + key("jobs") + " --dir (again)", "ok: creating an existing directory is harmless");
  }

  private void flatKeys() {
    step("directories: etcd v3 is flat, a directory is the keys below a prefix");
    store.put(key("services/web/1"), utf8("10.0.0.1:8080"));
    store.put(key("services/web/2"), utf8("10.0.0.2:8080"));
    said(
        "put " + key("services/web/1") + " 10.0.0.1:8080, and .../2",
        "ok: two keys; " + key("services/web") + " is no key of its own, only their prefix");
    said(
        "exists " + key("services/web"),
        store.exists(key("services/web"))
            ? "yes: a directory exists while keys are below it"
            : "no (unexpected)");
    try {
      store.get(key("services/web"));
      said("get " + key("services/web"), "a value (unexpected)");
    } catch (KeyNotFoundException e) {
      said("get " + key("services/web"), refused(e) + ": nothing is stored at the prefix itself");
    }
    store.put(key("jobs"), null, WriteOptions.builder().isDir(true).build());
    said("put " + key("jobs") + " --dir", "ok: an empty key, which watch-tree can watch");
    store.put(key("jobs"), null, WriteOptions.builder().isDir(true).build());
    said("put " + key("jobs") + " --dir (again)", "ok: an existing key is left as it is");
  }

  private boolean v3() {
    return session.backend() == Backend.ETCDV3;
  }

  private void list() {
    step("list");
    said("ls " + root, "");
    TreeView.tree(root, store.list(root)).forEach(line -> out.line("     " + line));
  }

  private void atomics() {
    step(
        "atomic operations: compare-and-swap and compare-and-delete, on the index"
            + (v3() ? " (etcd v3's mod_revision)" : ""));
    String counter = key("counter");
    KVPair one = store.atomicPut(counter, utf8("1"), null, null);
    said("cas " + counter + " 1 --create", "created, index " + one.lastIndex());
    try {
      store.atomicPut(counter, utf8("1"), null, null);
      said("cas " + counter + " 1 --create", "ok (unexpected)");
    } catch (KeyExistsException e) {
      said("cas " + counter + " 1 --create (again)", refused(e));
    }
    KVPair two = store.atomicPut(counter, utf8("2"), one, null);
    said(
        "cas " + counter + " 2 --prev-index " + one.lastIndex(),
        "swapped, index " + two.lastIndex());
    try {
      store.atomicPut(counter, utf8("3"), one, null);
      said("cas " + counter + " 3 --prev-index " + one.lastIndex(), "ok (unexpected)");
    } catch (KeyModifiedException e) {
      said(
          "cas " + counter + " 3 --prev-index " + one.lastIndex(),
          refused(e) + ": someone wrote since that index");
    }
    store.atomicDelete(counter, two);
    said("cad " + counter + " --prev-index " + two.lastIndex(), "deleted");
  }

  private void watch() throws InterruptedException {
    step("a watch receives an update");
    String greeting = key("config/greeting");
    try (Watch<KeyEvent> watch = store.watchEvents(greeting, null)) {
      said("watch " + greeting, "first the current value: " + describe(next(watch)));
      store.put(greeting, utf8("hello again"));
      said(
          "put " + greeting + " 'hello again'",
          "ok, and the watch delivers " + describe(next(watch)));
      store.delete(greeting);
      said("rm " + greeting, "ok, and the watch delivers " + describe(next(watch)));
    }
  }

  private void locks() throws Exception {
    step("two lock holders take turns");
    String leader = key("leader");
    Locker a = store.newLock(leader, lockOptions("host-a"));
    Locker b = store.newLock(leader, lockOptions("host-b"));
    Lease first = a.lock();
    said(
        "holder a: lock " + leader + " --value host-a",
        "held, fencing token " + first.fencingToken());
    Optional<Lease> notYet = b.tryLock(Duration.ofMillis(500));
    notYet.ifPresent(Lease::close);
    said(
        "holder b: lock " + leader + " --value host-b --timeout 500ms",
        notYet.isPresent() ? "held (unexpected)" : "not acquired: holder a has it");
    CompletableFuture<Lease> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return b.lock();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
              }
            });
    said("holder b: lock " + leader + " --value host-b", "waiting...");
    said("holder a: reads " + leader, describe(store.get(leader)));
    first.close();
    said("holder a: unlock", "released");
    Lease second;
    try {
      second = waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
    said(
        "holder b: (its lock call returns)",
        "held, fencing token "
            + second.fencingToken()
            + " (larger: a write fenced with it wins over holder a's)");
    said("holder b: reads " + leader, describe(store.get(leader)));
    second.close();
    said("holder b: unlock", "released");
  }

  private KeyEvent next(Watch<KeyEvent> watch) throws InterruptedException {
    KeyEvent update = watch.poll(WAIT);
    if (update == null) {
      throw new StoreException("the watch delivered nothing within " + WAIT.toSeconds() + "s");
    }
    return update;
  }

  private static LockOptions lockOptions(String value) {
    return LockOptions.builder().value(utf8(value)).ttl(Duration.ofSeconds(10)).build();
  }

  private String key(String relative) {
    return root + "/" + relative;
  }

  private void step(String title) {
    out.line("");
    out.line(++step + ". " + title);
  }

  private void said(String call, String answer) {
    String line = "   " + call;
    out.line(answer.isEmpty() ? line : line + "\n     -> " + answer);
  }

  private static String describe(KeyEvent event) {
    String kind = event.kind().name();
    return event.isRemoval()
        ? kind + " at index " + event.pair().lastIndex()
        : kind + " " + describe(event.pair());
  }

  private static String describe(KVPair pair) {
    return "'" + Values.shown(pair.value(), 40) + "' at index " + pair.lastIndex();
  }

  private static String refused(StoreException e) {
    return "refused with " + e.getClass().getSimpleName();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(UTF_8);
  }
}
