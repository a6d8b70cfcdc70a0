/**
 * The conformance suite: abstract JUnit 5 contracts that every backend runs against its own store
 * (subclass each contract and return a fresh store from {@code newStore()}).
 */
@NullMarked
package dev.valkeyrie.testsuite;

import org.jspecify.annotations.NullMarked;
