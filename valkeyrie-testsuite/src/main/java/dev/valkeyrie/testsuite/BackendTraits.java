package dev.valkeyrie.testsuite;

import java.time.Duration;
import java.util.Objects;

/**
 * What a backend declares about itself where backends may rightly differ: the one place a backend's
 * differences from the contract as etcd v2 defines it are stated. A backend's conformance test
 * returns its traits from {@link StoreContract#traits()}, and the contracts branch on a trait only
 * where it applies; everything else is asserted the same for every backend.
 *
 * <p>Immutable; build with {@link #builder()}. The builder's defaults are the contract as the suite
 * states it for a backend that declares nothing: keys and directories are distinct, a listing
 * includes the directories between the keys, values are any bytes, no minimum TTL, no declared size
 * limit, and directories may have a TTL.
 */
public final class BackendTraits {

  /** The traits of a backend that declares nothing: see the class comment. */
  public static final BackendTraits DEFAULT = builder().build();

  private final boolean keysAndDirectoriesDistinct;
  private final boolean listIncludesImplicitDirectories;
  private final boolean valuesAnyBytes;
  private final Duration minimumTtl;
  private final long maxValueBytes;
  private final boolean directoriesHaveTtl;

  private BackendTraits(Builder b) {
    this.keysAndDirectoriesDistinct = b.keysAndDirectoriesDistinct;
    this.listIncludesImplicitDirectories = b.listIncludesImplicitDirectories;
    this.valuesAnyBytes = b.valuesAnyBytes;
    this.minimumTtl = b.minimumTtl;
    this.maxValueBytes = b.maxValueBytes;
    this.directoriesHaveTtl = b.directoriesHaveTtl;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@code true}: a name is either a key with a value or a directory with entries below it (etcd
   * v2): writing a value onto a directory, a directory onto a key, or a key below a key is refused
   * with {@code KeyTypeException}. {@code false}: a flat keyspace (etcd v3), where a key may have
   * keys below it and {@code put(k, isDir)} leaves an existing key as it is.
   */
  public boolean keysAndDirectoriesDistinct() {
    return keysAndDirectoriesDistinct;
  }

  /**
   * {@code true}: {@code list} includes the directories between a directory and its keys (with
   * empty values), as etcd v2 has them as nodes. {@code false}: a listing holds only the keys that
   * exist (etcd v3, where directories are implicit).
   */
  public boolean listIncludesImplicitDirectories() {
    return listIncludesImplicitDirectories;
  }

  /**
   * {@code true}: every byte sequence round-trips. {@code false}: only valid UTF-8 is stored (etcd
   * v2 stores text); other bytes are refused with {@code InvalidValueException}, never altered.
   */
  public boolean valuesAnyBytes() {
    return valuesAnyBytes;
  }

  /**
   * The shortest TTL the backend grants; shorter ones are raised to it (etcd v3: 2 s). Waits for
   * expiry use the longer of the two.
   */
  public Duration minimumTtl() {
    return minimumTtl;
  }

  /**
   * A value size the backend refuses, before sending, with {@code InvalidValueException} (anything
   * larger is refused too); 0 when none is declared. etcd v2: 10 MiB (its form limit); etcd v3: 1.5
   * MiB (its default request limit).
   */
  public long maxValueBytes() {
    return maxValueBytes;
  }

  /**
   * {@code true}: {@code put(dir, isDir, ttl)} is accepted. {@code false}: refused with {@code
   * CallNotSupportedException} (etcd v3, where a TTL cannot remove the keys below a directory).
   */
  public boolean directoriesHaveTtl() {
    return directoriesHaveTtl;
  }

  /** {@code ttl}, or the minimum TTL if that is longer: how long a key with {@code ttl} lives. */
  public Duration effectiveTtl(Duration ttl) {
    return ttl.compareTo(minimumTtl) < 0 ? minimumTtl : ttl;
  }

  @Override
  public String toString() {
    return "BackendTraits[keysAndDirectoriesDistinct="
        + keysAndDirectoriesDistinct
        + ", listIncludesImplicitDirectories="
        + listIncludesImplicitDirectories
        + ", valuesAnyBytes="
        + valuesAnyBytes
        + ", minimumTtl="
        + minimumTtl
        + ", maxValueBytes="
        + maxValueBytes
        + ", directoriesHaveTtl="
        + directoriesHaveTtl
        + "]";
  }

  /** Builds {@link BackendTraits}; every setter states one declared difference. */
  public static final class Builder {
    private boolean keysAndDirectoriesDistinct = true;
    private boolean listIncludesImplicitDirectories = true;
    private boolean valuesAnyBytes = true;
    private Duration minimumTtl = Duration.ZERO;
    private long maxValueBytes;
    private boolean directoriesHaveTtl = true;

    private Builder() {}

    public Builder keysAndDirectoriesDistinct(boolean distinct) {
      this.keysAndDirectoriesDistinct = distinct;
      return this;
    }

    public Builder listIncludesImplicitDirectories(boolean included) {
      this.listIncludesImplicitDirectories = included;
      return this;
    }

    public Builder valuesAnyBytes(boolean anyBytes) {
      this.valuesAnyBytes = anyBytes;
      return this;
    }

    public Builder minimumTtl(Duration minimum) {
      Objects.requireNonNull(minimum, "minimum");
      if (minimum.isNegative()) {
        throw new IllegalArgumentException("minimumTtl must not be negative: " + minimum);
      }
      this.minimumTtl = minimum;
      return this;
    }

    /**
     * The value size from which the backend refuses a value.
     *
     * @param bytes a value size the backend refuses, or 0 for none declared
     */
    public Builder maxValueBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("maxValueBytes must not be negative: " + bytes);
      }
      this.maxValueBytes = bytes;
      return this;
    }

    public Builder directoriesHaveTtl(boolean supported) {
      this.directoriesHaveTtl = supported;
      return this;
    }

    public BackendTraits build() {
      return new BackendTraits(this);
    }
  }
}
