package dev.keel.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.keel.runtime.AppEnvironment;
import dev.keel.runtime.ConfigCatalog;
import dev.keel.runtime.Setting;

/** docs/configuration.md documents exactly the catalog: every variable, its default, secrecy and prod rule. */
class ConfigurationDocsTests {

	@Test
	void documentsEveryCatalogVariableWithItsDefaultSecrecyAndProdRequirement() throws IOException {
		Map<String, List<String>> rows = rows(Files.readString(ProjectFiles.path("docs/configuration.md")));
		List<String> problems = new ArrayList<>();
		for (Setting setting : ConfigCatalog.settings()) {
			List<String> row = rows.get(setting.env());
			if (row == null) {
				problems.add(setting.env() + " is not documented");
				continue;
			}
			if (setting.defaultValue() != null && !row.get(1).contains("`" + setting.defaultValue() + "`")) {
				problems.add(setting.env() + " documents default '" + row.get(1) + "', the catalog has " + setting.defaultValue());
			}
			if (!row.get(3).equals(setting.secret() ? "yes" : "no")) {
				problems.add(setting.env() + " documents secret=" + row.get(3) + ", the catalog says " + setting.secret());
			}
			if (setting.requiredIn().contains(AppEnvironment.PROD) && !row.get(4).contains("yes")) {
				problems.add(setting.env() + " is required in prod but not documented so");
			}
		}
		assertThat(problems).isEmpty();
	}

	@Test
	void documentsNoVariableTheCatalogDoesNotHave() throws IOException {
		var known = ConfigCatalog.settings().stream().map(Setting::env).collect(Collectors.toSet());
		assertThat(rows(Files.readString(ProjectFiles.path("docs/configuration.md"))).keySet())
			.allSatisfy((name) -> assertThat(known).contains(name));
	}

	@Test
	void missingVariableIsReported() {
		// Guards the parser itself: a table without APP_ENV must not count as documenting it.
		Map<String, List<String>> rows = rows("| `PORT` | `8080` | whole number | no | no | the port |\n");
		assertThat(rows).containsKey("PORT").doesNotContainKey("APP_ENV");
	}

	/** Table rows whose first cell is a back-quoted variable name, keyed by it; cells trimmed. */
	static Map<String, List<String>> rows(String markdown) {
		Map<String, List<String>> rows = new LinkedHashMap<>();
		for (String line : markdown.split("\\R")) {
			if (!line.startsWith("| `")) {
				continue;
			}
			List<String> cells = new ArrayList<>();
			for (String cell : line.substring(1).split("(?<!\\\\)\\|")) {
				cells.add(cell.strip());
			}
			String name = cells.get(0).replace("`", "");
			if (name.matches("[A-Z][A-Z0-9_]*") && cells.size() >= 5) {
				rows.put(name, cells);
			}
		}
		return rows;
	}

}
