/**
 * Starts and stops real etcd 3.4 processes on loopback: the embedded etcd of the command line and
 * the examples, and the clusters of the tests. JDK only.
 *
 * <p>Entry point: {@link dev.valkeyrie.etcd.launcher.EtcdCluster}. Tests use it through the JUnit 5
 * extension of the {@code valkeyrie-etcd-junit} module, {@code EtcdClusterExtension}. Members run
 * the binary {@code /usr/bin/etcd} (Debian package {@code etcd-server}) with the v2 API enabled, on
 * free {@code 127.0.0.1} ports, in temporary data directories that are deleted on close.
 *
 * <p>For cluster, TLS and auth tests:
 *
 * <ul>
 *   <li>Faults: {@link dev.valkeyrie.etcd.launcher.EtcdMember#kill()}, {@code stop()}, {@code
 *       pause()}, {@code start()}; {@link
 *       dev.valkeyrie.etcd.launcher.EtcdMember#startWithoutWaiting()} and {@link
 *       dev.valkeyrie.etcd.launcher.EtcdCluster#startAll()} when a majority was down.
 *   <li>Growth: {@link dev.valkeyrie.etcd.launcher.EtcdCluster#addMember()}.
 *   <li>TLS: {@link dev.valkeyrie.etcd.launcher.TestCertificates} (generated with the {@code
 *       openssl} command line, which {@code bin/setup} installs) and {@link
 *       dev.valkeyrie.etcd.launcher.ClientTls} for {@link
 *       dev.valkeyrie.etcd.launcher.EtcdCluster.Builder#clientTls}.
 *   <li>Auth: {@link dev.valkeyrie.etcd.launcher.EtcdAuth} turns on etcd's v2 authentication.
 *   <li>Server-side view of client traffic: {@link
 *       dev.valkeyrie.etcd.launcher.EtcdMember#loggedRequests()} (with {@code --log-level=debug}).
 *   <li>Network faults between client and member: {@code FaultProxy} of the {@code
 *       valkeyrie-etcd-junit} module, in front of a member's client endpoint.
 * </ul>
 */
@NullMarked
package dev.valkeyrie.etcd.launcher;

import org.jspecify.annotations.NullMarked;
