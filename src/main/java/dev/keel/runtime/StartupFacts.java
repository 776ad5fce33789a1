package dev.keel.runtime;

import java.util.Map;

/** A module's line items for the start-up banner (e.g. the database mode); modules expose one as a bean. */
@FunctionalInterface
public interface StartupFacts {

	Map<String, String> facts();

}
