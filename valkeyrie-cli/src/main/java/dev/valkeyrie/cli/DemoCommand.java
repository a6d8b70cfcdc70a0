package dev.valkeyrie.cli;

import picocli.CommandLine.Command;

/** {@code demo}: a narrated walk through the API. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    abbreviateSynopsis = true,
    header = "A narrated tour of the API.",
    description = {
      "put and get, directories (etcd v2 keeps them apart from keys; etcd v3 is flat), list,"
          + " atomic operations, a watch receiving an update, and two lock holders taking turns;"
          + " each step prints what it did and what came back. --backend etcdv3 runs it on"
          + " etcd's v3 API.",
      "Without --endpoints it runs on a throwaway local etcd; on a real one it works below a"
          + " fresh valkeyrie-demo-* directory and deletes it at the end."
    })
final class DemoCommand extends StoreCommand {

  @Override
  boolean announceLocalEtcd() {
    return false; // the demo says it itself
  }

  @Override
  int run(StoreSession session, Output out) throws Exception {
    new Demo(session, out).run();
    return ExitCodes.OK;
  }
}
