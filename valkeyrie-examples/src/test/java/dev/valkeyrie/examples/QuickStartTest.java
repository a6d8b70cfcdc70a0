package dev.valkeyrie.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's first command runs this tour; it must keep working end to end. */
class QuickStartTest {

  @Test
  void tourRunsAgainstItsOwnEtcdAndReportsEachStep() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      QuickStart.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    original.print(output);

    assertThat(output)
        .contains("get app/config/greeting -> \"hello, etcd\"")
        .contains(
            "list app/services -> [app/services/web/, app/services/web/1=10.0.0.1:8080,"
                + " app/services/web/2=10.0.0.2:8080]")
        .contains("put app/services/web refused")
        .contains("compare-and-swap from the stale pair fails: KeyModifiedException")
        .contains("after a put the watch delivers: \"hello again\"")
        .contains("second tries for 200 ms: not acquired, as expected")
        .contains("after first unlocks, second acquires: true")
        .contains("app/leader = \"second\"")
        .contains("the watch saw it expire")
        .contains("app exists after deleteTree: false")
        .contains("nothing left behind");
  }
}
