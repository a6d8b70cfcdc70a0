package dev.valkeyrie.etcd.junit;

import dev.valkeyrie.etcd.launcher.EtcdCluster;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that runs an {@link EtcdCluster} for all tests of a class.
 *
 * <pre>{@code
 * class MyStoreIT {
 *   @RegisterExtension
 *   static final EtcdClusterExtension ETCD = EtcdClusterExtension.members(1);
 *
 *   @Test
 *   void works(EtcdCluster etcd) {
 *     String endpoint = etcd.clientEndpoints().get(0);
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>Register it on a {@code static} field: the cluster starts before all tests of the class and is
 * closed after them. Test methods, lifecycle methods and constructors may declare an {@link
 * EtcdCluster} parameter. {@code @Nested} classes share the enclosing class's cluster. For extra
 * flags or more settings use {@link #of(EtcdCluster.Builder)}.
 *
 * <p>This is the only class of the package that needs JUnit on the class path.
 */
public final class EtcdClusterExtension
    implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  private final EtcdCluster.Builder builder;
  private @Nullable EtcdCluster cluster;
  private @Nullable String ownerId;

  private EtcdClusterExtension(EtcdCluster.Builder builder) {
    this.builder = builder;
  }

  /** An extension running a cluster of {@code count} members with default settings. */
  public static EtcdClusterExtension members(int count) {
    return new EtcdClusterExtension(EtcdCluster.builder().members(count));
  }

  /**
   * An extension running clusters configured by {@code builder}, e.g. {@code
   * EtcdClusterExtension.of(EtcdCluster.builder().members(3).extraArgs("--log-level=info"))}. The
   * builder is copied; later changes to it have no effect.
   */
  public static EtcdClusterExtension of(EtcdCluster.Builder builder) {
    return new EtcdClusterExtension(builder.copy());
  }

  /**
   * The running cluster.
   *
   * @throws IllegalStateException outside the test class's lifetime
   */
  public synchronized EtcdCluster cluster() {
    if (cluster == null) {
      throw new IllegalStateException(
          "no etcd cluster is running; register EtcdClusterExtension on a static field with"
              + " @RegisterExtension and use it from within the test class");
    }
    return cluster;
  }

  /** Shortcut for {@code cluster().clientEndpoints()}. */
  public List<String> endpoints() {
    return cluster().clientEndpoints();
  }

  /** Starts the cluster unless an enclosing class (or a constructor parameter) already did. */
  @Override
  public void beforeAll(ExtensionContext context) {
    ensureStarted(context);
  }

  /** Closes the cluster after the class that started it. */
  @Override
  public synchronized void afterAll(ExtensionContext context) {
    if (cluster != null && context.getUniqueId().equals(ownerId)) {
      try {
        cluster.close();
      } finally {
        cluster = null;
        ownerId = null;
      }
    }
  }

  /** Supports parameters of type {@link EtcdCluster}. */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == EtcdCluster.class;
  }

  /** The running cluster; started here if a constructor asks before {@code beforeAll}. */
  @Override
  public EtcdCluster resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return ensureStarted(context);
  }

  // With @TestInstance(PER_CLASS) the constructor is resolved before beforeAll, so either path
  // may start the cluster; it belongs to the nearest class-level context, whose afterAll closes
  // it.
  private synchronized EtcdCluster ensureStarted(ExtensionContext context) {
    if (cluster == null) {
      ExtensionContext owner = context;
      while (owner.getTestMethod().isPresent() && owner.getParent().isPresent()) {
        owner = owner.getParent().get();
      }
      cluster = builder.build().start();
      ownerId = owner.getUniqueId();
    }
    return cluster;
  }
}
