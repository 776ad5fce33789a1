package dev.keel.runtime;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

import org.springframework.context.ApplicationContext;

/**
 * What a command runs with: its remaining arguments, {@code --json}, the output streams, the checked
 * configuration and, when it asked for one, an application context.
 */
public record CliInvocation(List<String> args, boolean json, PrintStream out, PrintStream err, ConfigReport config,
		ApplicationContext context) {

	public Optional<String> option(String name) {
		for (int i = 0; i < this.args.size(); i++) {
			String a = this.args.get(i);
			if (a.equals("--" + name) && i + 1 < this.args.size()) {
				return Optional.of(this.args.get(i + 1));
			}
			if (a.startsWith("--" + name + "=")) {
				return Optional.of(a.substring(name.length() + 3));
			}
		}
		return Optional.empty();
	}

	public boolean flag(String name) {
		return this.args.contains("--" + name);
	}

	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

}
