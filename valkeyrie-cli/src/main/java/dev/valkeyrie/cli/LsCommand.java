package dev.valkeyrie.cli;

import dev.valkeyrie.store.KVPair;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ls DIR}: {@code Store.list}, as a tree or flat. */
@Command(
    name = "ls",
    mixinStandardHelpOptions = true,
    abbreviateSynopsis = true,
    header = "List a directory, as a tree.",
    description = {
      "Lists everything below DIR (default: the root); --flat prints one"
          + " 'key = value' line per entry, -o json one {\"key\",\"value\",\"index\"} object per"
          + " line. Directories end with /. Lock side keys are left out.",
      "Exit 1 if DIR does not exist; a plain key lists as nothing."
    })
final class LsCommand extends StoreCommand {

  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "The directory.")
  String directory = "/";

  @Option(names = "--flat", description = "One line per entry, with full keys.")
  boolean flat;

  @Override
  int run(StoreSession session, Output out) {
    List<KVPair> entries = session.store().list(directory);
    if (out.json()) {
      entries.forEach(out::pair);
    } else if (flat) {
      out.lines(TreeView.flat(entries));
    } else {
      out.lines(TreeView.tree(directory, entries));
    }
    return ExitCodes.OK;
  }
}
