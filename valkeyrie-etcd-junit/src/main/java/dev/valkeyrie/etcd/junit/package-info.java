/**
 * A JUnit 5 extension that runs real etcd clusters for a test class: {@link
 * dev.valkeyrie.etcd.junit.EtcdClusterExtension}. For tests only.
 */
@NullMarked
package dev.valkeyrie.etcd.junit;

import org.jspecify.annotations.NullMarked;
