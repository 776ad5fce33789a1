package dev.keel.runtime;

/** One configuration problem: which variable, which rule failed, why, and how to fix it. Never carries the value. */
public record ConfigProblem(String variable, String rule, String message, String hint) {

	public String describe() {
		return this.variable + " " + this.message + " [rule: " + this.rule + "] hint: " + this.hint;
	}

}
