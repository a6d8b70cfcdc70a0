/**
 * Network faults between a client and a real server, for tests: {@link
 * dev.valkeyrie.etcd.faults.FaultProxy} forwards loopback TCP connections byte for byte and injects
 * a {@link dev.valkeyrie.etcd.faults.Fault} on demand (blackhole, reset after n bytes, trickle,
 * stall or close after the HTTP/1.1 headers, stall after n bytes, latency, refused connections).
 *
 * <p>A package of its own because nothing here is about etcd: the proxy forwards to any loopback
 * port and uses nothing of the launcher. Put it in front of {@code EtcdMember.clientEndpoint()} to
 * see how a client copes with what process faults ({@code kill()}, {@code pause()}) cannot produce:
 * answers cut off half way, headers without a body, slow links, requests that reach the server
 * while their answers are lost.
 */
@NullMarked
package dev.valkeyrie.etcd.faults;

import org.jspecify.annotations.NullMarked;
