package dev.keel.runtime;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The three environments; they differ only by configuration ({@code APP_ENV}). */
public enum AppEnvironment {

	DEV, STAGING, PROD;

	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static Optional<AppEnvironment> parse(String value) {
		if (value == null) {
			return Optional.empty();
		}
		String v = value.trim().toLowerCase(Locale.ROOT);
		return Arrays.stream(values()).filter((e) -> e.id().equals(v)).findFirst();
	}

}
