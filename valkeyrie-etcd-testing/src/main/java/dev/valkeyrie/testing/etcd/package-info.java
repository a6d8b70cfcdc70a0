/**
 * Starts and stops real etcd 3.4 processes on loopback for tests and examples.
 *
 * <p>Entry points: {@link dev.valkeyrie.testing.etcd.EtcdCluster} (plain Java, no JUnit needed)
 * and {@link dev.valkeyrie.testing.etcd.EtcdClusterExtension} (JUnit 5). Members run the binary
 * {@code /usr/bin/etcd} (Debian package {@code etcd-server}) with the v2 API enabled, on free
 * {@code 127.0.0.1} ports, in temporary data directories that are deleted on close.
 *
 * <p>For cluster, TLS and auth tests:
 *
 * <ul>
 *   <li>Faults: {@link dev.valkeyrie.testing.etcd.EtcdMember#kill()}, {@code stop()}, {@code
 *       pause()}, {@code start()}; {@link dev.valkeyrie.testing.etcd.EtcdMember#startWithoutWaiting()}
 *       and {@link dev.valkeyrie.testing.etcd.EtcdCluster#startAll()} when a majority was down.
 *   <li>Growth: {@link dev.valkeyrie.testing.etcd.EtcdCluster#addMember()}.
 *   <li>TLS: {@link dev.valkeyrie.testing.etcd.TestCertificates} (generated with the {@code openssl}
 *       command line, which {@code bin/setup} installs) and {@link
 *       dev.valkeyrie.testing.etcd.ClientTls} for {@link
 *       dev.valkeyrie.testing.etcd.EtcdCluster.Builder#clientTls}.
 *   <li>Auth: {@link dev.valkeyrie.testing.etcd.EtcdAuth} turns on etcd's v2 authentication.
 *   <li>Server-side view of client traffic: {@link
 *       dev.valkeyrie.testing.etcd.EtcdMember#loggedRequests()} (with {@code --log-level=debug}).
 *   <li>Network faults between client and member: {@link
 *       dev.valkeyrie.testing.faults.FaultProxy}, in front of a member's client endpoint.
 * </ul>
 */
package dev.valkeyrie.testing.etcd;
