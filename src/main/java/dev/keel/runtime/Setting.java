package dev.keel.runtime;

import java.util.Set;
import java.util.function.Function;

/**
 * One environment variable of the catalog: where its value goes (a Spring property), its default,
 * the rule it must pass, whether it is a secret (never printed, may come from {@code NAME_FILE}),
 * and the environments that require it.
 *
 * @param env the variable name, as operators write it
 * @param property the Spring property the normalised value is bound to
 * @param defaultValue the default serving dev; {@code null} for none
 * @param rule parses and normalises a raw value, or explains which rule failed
 * @param secret whether the value is a secret
 * @param requiredIn environments in which a value must be given
 * @param hint what a good value looks like, shown with every problem
 */
public record Setting(String env, String property, String defaultValue, Rule rule, boolean secret,
		Set<AppEnvironment> requiredIn, String hint) {

	/** Parses a raw value: returns the normalised property value or throws {@link IllegalArgumentException} naming the rule. */
	@FunctionalInterface
	public interface Rule extends Function<String, String> {

	}

}
