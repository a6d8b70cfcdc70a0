package dev.valkeyrie.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValueInputTest {
  private static final byte[] BYTES = {(byte) 0xc3, (byte) 0xa9, '\r', '\n', 0, (byte) 0xff, '\n'};

  @Test
  void aLiteralValueIsItsUtf8() {
    assertThat(ValueInput.read("héllo", null, InputStream.nullInputStream()))
        .isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void dashReadsStandardInputByteForByte() {
    assertThat(ValueInput.read("-", null, new ByteArrayInputStream(BYTES))).isEqualTo(BYTES);
  }

  @Test
  void aFileIsReadByteForByte(@TempDir Path dir) throws Exception {
    Path file = Files.write(dir.resolve("value.bin"), BYTES);

    assertThat(ValueInput.read(null, file, InputStream.nullInputStream())).isEqualTo(BYTES);
  }

  @Test
  void anEmptyValueIsAValue() {
    assertThat(ValueInput.read("", null, InputStream.nullInputStream())).isEmpty();
  }

  @Test
  void noValueOrTwoValuesAreUsageErrors(@TempDir Path dir) {
    assertThatThrownBy(() -> ValueInput.read(null, null, InputStream.nullInputStream()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("missing VALUE");
    assertThatThrownBy(() -> ValueInput.read("v", dir.resolve("f"), InputStream.nullInputStream()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("not both");
  }
}
