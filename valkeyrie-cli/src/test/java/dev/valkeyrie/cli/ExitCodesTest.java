package dev.valkeyrie.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.valkeyrie.etcd.launcher.EtcdCluster;
import dev.valkeyrie.store.AccessDeniedException;
import dev.valkeyrie.store.CannotLockException;
import dev.valkeyrie.store.InvalidConfigurationException;
import dev.valkeyrie.store.InvalidKeyException;
import dev.valkeyrie.store.InvalidValueException;
import dev.valkeyrie.store.KeyExistsException;
import dev.valkeyrie.store.KeyModifiedException;
import dev.valkeyrie.store.KeyNotFoundException;
import dev.valkeyrie.store.KeyTypeException;
import dev.valkeyrie.store.StoreClosedException;
import dev.valkeyrie.store.StoreException;
import dev.valkeyrie.store.StoreUnavailableException;
import dev.valkeyrie.store.WatchClosedException;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Which failure exits with which code, and what its one line on standard error says. */
class ExitCodesTest {

  @Test
  void negativeAnswersOfTheStoreExitWithOne() {
    assertThat(ExitCodes.of(new KeyNotFoundException("k"))).isEqualTo(1);
    assertThat(ExitCodes.of(new KeyModifiedException("k"))).isEqualTo(1);
    assertThat(ExitCodes.of(new KeyExistsException("k"))).isEqualTo(1);
    assertThat(ExitCodes.of(new KeyTypeException("k"))).isEqualTo(1);
    assertThat(ExitCodes.of(new CannotLockException("k"))).isEqualTo(1);
  }

  @Test
  void badInputExitsWithTwo() {
    assertThat(ExitCodes.of(new UsageException("u"))).isEqualTo(2);
    assertThat(ExitCodes.of(new InvalidKeyException("k"))).isEqualTo(2);
    assertThat(ExitCodes.of(new InvalidValueException("not UTF-8"))).isEqualTo(2);
    assertThat(ExitCodes.of(new InvalidConfigurationException("tls"))).isEqualTo(2);
  }

  @Test
  void anUnavailableStoreExitsWithThree() {
    assertThat(ExitCodes.of(new StoreUnavailableException("down"))).isEqualTo(3);
    assertThat(ExitCodes.of(new StoreClosedException("closed"))).isEqualTo(3);
    assertThat(ExitCodes.of(new StoreException("etcd error 300"))).isEqualTo(3);
  }

  @Test
  void accessDeniedExitsWithFive() {
    assertThat(ExitCodes.of(new AccessDeniedException("no"))).isEqualTo(5);
  }

  @Test
  void wrappersAreLookedThrough() {
    StoreUnavailableException down = new StoreUnavailableException("down");

    assertThat(ExitCodes.of(new CompletionException(down))).isEqualTo(3);
    assertThat(ExitCodes.of(new ExecutionException(new KeyNotFoundException("k")))).isEqualTo(1);
    assertThat(ExitCodes.of(new WatchClosedException("watch ended", down))).isEqualTo(3);
    assertThat(
            ExitCodes.of(
                new WatchClosedException("watch ended", new AccessDeniedException("revoked"))))
        .isEqualTo(5);
    assertThat(ExitCodes.of(new CannotLockException("cannot lock", down))).isEqualTo(3);
    assertThat(ExitCodes.message(new CompletionException(down))).isEqualTo("down");
  }

  @Test
  void aMissingEtcdForTheEmbeddedDefaultExitsWithThreeAndSaysHowToInstallIt() {
    Throwable notInstalled =
        catchThrowable(
            () -> EtcdCluster.builder().etcdBinary(Path.of("/nonexistent/etcd")).build().start());

    assertThat(ExitCodes.of(notInstalled)).isEqualTo(3);
    assertThat(ExitCodes.message(notInstalled)).contains("apt-get install etcd-server");
  }

  @Test
  void aClosedStandardOutputEndsQuietlyAsSigpipeWould() {
    assertThat(ExitCodes.of(new OutputClosedException())).isEqualTo(141);
  }

  @Test
  void bugsExitWithSeventy() {
    assertThat(ExitCodes.of(new NullPointerException())).isEqualTo(70);
  }

  @Test
  void onlyTheFirstLineOfAMessageIsShown() {
    assertThat(ExitCodes.message(new StoreUnavailableException("first line\n  details\n")))
        .isEqualTo("first line");
    assertThat(ExitCodes.message(new IllegalStateException())).isEqualTo("IllegalStateException");
  }

  @Test
  void signalsExitWith128PlusTheirNumber() {
    assertThat(ExitCodes.signalled("INT")).isEqualTo(130);
    assertThat(ExitCodes.signalled("TERM")).isEqualTo(143);
    assertThat(ExitCodes.signalled("HUP")).isEqualTo(129);
  }

  @Test
  void theHelpTableListsEveryCode() {
    assertThat(ExitCodes.HELP)
        .extracting(line -> line.substring(0, line.indexOf(':')))
        .containsExactly("0", "1", "2", "3", "4", "5", "70", "126/127", "130", "141");
  }
}
