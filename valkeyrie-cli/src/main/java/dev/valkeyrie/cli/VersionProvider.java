package dev.valkeyrie.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the project version (from the build), the backends and the Java runtime. */
final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    return new String[] {
      "valkeyrie " + version() + " (backends: etcdv2, etcdv3)",
      "Java " + Runtime.version() + ", " + System.getProperty("java.vm.name", "unknown VM")
    };
  }

  /** The version the build wrote into {@code version.properties}, or {@code unknown}. */
  static String version() {
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
