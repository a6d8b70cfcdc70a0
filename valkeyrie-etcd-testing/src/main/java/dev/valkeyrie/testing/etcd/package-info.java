/**
 * Starts and stops real etcd 3.4 processes on loopback for tests and examples.
 *
 * <p>Entry points: {@link dev.valkeyrie.testing.etcd.EtcdCluster} (plain Java, no JUnit needed)
 * and {@link dev.valkeyrie.testing.etcd.EtcdClusterExtension} (JUnit 5). Members run the binary
 * {@code /usr/bin/etcd} (Debian package {@code etcd-server}) with the v2 API enabled, on free
 * {@code 127.0.0.1} ports, in temporary data directories that are deleted on close.
 */
package dev.valkeyrie.testing.etcd;
