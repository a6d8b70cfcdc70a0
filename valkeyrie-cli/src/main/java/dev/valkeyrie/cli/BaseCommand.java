package dev.valkeyrie.cli;

import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** What every subcommand has: the global options, {@code --help} and {@code --version}. */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
abstract class BaseCommand implements Callable<Integer> {

  @ParentCommand ValkeyrieCommand top;
  @Mixin GlobalOptions global = new GlobalOptions();

  /** The request timeout option of this command, or {@code null} if it has none. */
  @Nullable RequestTimeoutOption requestTimeout() {
    return null;
  }

  Settings settings() {
    return Settings.resolve(top, global, requestTimeout());
  }

  Io io() {
    return top.io();
  }
}
