package dev.valkeyrie.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The top-level {@code valkeyrie} command: global options, and the subcommands. */
@Command(
    name = "valkeyrie",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    versionProvider = VersionProvider.class,
    synopsisSubcommandLabel = "COMMAND",
    description = {
      "Every call of the valkeyrie Store API from a shell, on etcd's v2 keys API (the default)"
          + " or, with --backend etcdv3, its v3 API.",
      "Without --endpoints or VALKEYRIE_ENDPOINTS, each command starts a throwaway local etcd"
          + " (/usr/bin/etcd) and removes it when it ends: try 'valkeyrie demo'.",
      "Global options go before or after the command name."
    },
    subcommands = {
      PutCommand.class,
      GetCommand.class,
      RmCommand.class,
      ExistsCommand.class,
      LsCommand.class,
      RmtreeCommand.class,
      CasCommand.class,
      CadCommand.class,
      WatchCommand.class,
      WatchTreeCommand.class,
      LockCommand.class,
      MigrateCommand.class,
      DemoCommand.class
    })
final class ValkeyrieCommand implements Callable<Integer> {
  private final Io io;

  @Mixin GlobalOptions global = new GlobalOptions();
  @Mixin RequestTimeoutOption timeout = new RequestTimeoutOption();

  ValkeyrieCommand(Io io) {
    this.io = io;
  }

  Io io() {
    return io;
  }

  /** Without a command: a usage error. */
  @Override
  public Integer call() {
    throw new UsageException("missing COMMAND, e.g. get KEY, or demo");
  }
}
