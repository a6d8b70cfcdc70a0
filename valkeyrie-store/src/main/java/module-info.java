/**
 * The Store API (JDK only, and JSpecify's nullness annotations), its recipes, and the support
 * package for backend authors. Backends are found through {@link java.util.ServiceLoader}.
 */
module dev.valkeyrie.store {
  requires static transitive org.jspecify;

  exports dev.valkeyrie.store;
  exports dev.valkeyrie.store.recipes;
  exports dev.valkeyrie.store.spi;

  uses dev.valkeyrie.store.StoreProvider;
}
