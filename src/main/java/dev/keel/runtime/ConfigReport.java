package dev.keel.runtime;

import java.util.List;
import java.util.Map;

/**
 * The outcome of checking the catalog: the environment, the normalised Spring properties, and every
 * problem found. {@code env} is null when {@code APP_ENV} itself is invalid.
 */
public record ConfigReport(AppEnvironment env, Map<String, String> properties, List<ConfigProblem> problems) {

	public boolean valid() {
		return this.problems.isEmpty();
	}

	public String describeProblems() {
		StringBuilder out = new StringBuilder("Keel cannot start: " + this.problems.size() + " configuration problem(s)\n");
		for (ConfigProblem p : this.problems) {
			out.append("  - ").append(p.describe()).append('\n');
		}
		return out.toString();
	}

}
