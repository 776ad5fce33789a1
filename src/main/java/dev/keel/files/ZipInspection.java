package dev.keel.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Checks an XLSX candidate the way Excel and Apache POI read it: through the central directory
 * ({@link ZipFile} on a temporary copy), inflating every listed entry and counting what actually comes
 * out (never the sizes the headers claim), stopping at the first limit passed: entry count, total
 * inflated bytes, or inflated/compressed ratio. The local headers are then walked as well (a streaming
 * reader sees only those) with the same limits, and the two views must list the same entries: an entry
 * only in the central directory (invisible to a streaming check) or only in the local headers, or
 * several directory entries sharing one local entry (overlapping-entry bombs), is refused. A workbook
 * must hold {@code [Content_Types].xml} and {@code xl/workbook.xml}.
 */
final class ZipInspection {

	static final int MAX_ENTRIES = 10_000;

	static final long MAX_INFLATED_BYTES = 256L * 1024 * 1024;

	/** Ratio allowed once more than {@link #RATIO_FLOOR_BYTES} are inflated (Apache POI's default is 100). */
	static final long MAX_RATIO = 100;

	static final long RATIO_FLOOR_BYTES = 1024L * 1024;

	private ZipInspection() {
	}

	/** What the inspection found: a rule code and message, or {@code null} rule for a sound workbook. */
	record Verdict(String rule, String message) {

		static final Verdict OK = new Verdict(null, null);

		boolean ok() {
			return this.rule == null;
		}

	}

	/** Stops a walk with a verdict. */
	private static final class Refused extends Exception {

		final Verdict verdict;

		Refused(String rule, String message) {
			super(message, null, false, false);
			this.verdict = new Verdict(rule, message);
		}

	}

	/** The limits of one walk over the archive's entries. */
	private static final class Budget {

		private final long archiveBytes;

		private final List<String> names = new ArrayList<>();

		private long inflated;

		Budget(long archiveBytes) {
			this.archiveBytes = archiveBytes;
		}

		void entry(String name) throws Refused {
			if (this.names.size() >= MAX_ENTRIES) {
				throw new Refused("zip-bomb", "the archive has more than " + MAX_ENTRIES + " entries");
			}
			if (name.startsWith("/") || name.contains("..") || name.contains("\\")) {
				throw new Refused("xlsx-workbook", "the archive holds an entry with a path outside the workbook");
			}
			this.names.add(name);
		}

		void inflate(InputStream entry, byte[] buffer) throws IOException, Refused {
			int n;
			while ((n = entry.read(buffer)) > 0) {
				this.inflated += n;
				if (this.inflated > MAX_INFLATED_BYTES) {
					throw new Refused("zip-bomb", "the archive inflates to more than " + (MAX_INFLATED_BYTES >> 20) + " MB");
				}
				if (this.inflated > RATIO_FLOOR_BYTES && this.inflated > MAX_RATIO * Math.max(this.archiveBytes, 1)) {
					throw new Refused("zip-bomb", "the archive inflates more than " + MAX_RATIO + " times its size");
				}
			}
		}

		List<String> sortedNames() {
			List<String> sorted = new ArrayList<>(this.names);
			Collections.sort(sorted);
			return sorted;
		}

	}

	static Verdict inspect(InputStream content, long archiveBytes) throws IOException {
		Path copy = Files.createTempFile("keel-xlsx-", ".zip");
		try {
			try (content) {
				Files.copy(content, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
			}
			return inspect(copy, Math.max(archiveBytes, Files.size(copy)));
		}
		finally {
			Files.deleteIfExists(copy);
		}
	}

	static Verdict inspect(Path archive, long archiveBytes) throws IOException {
		byte[] buffer = new byte[64 * 1024];
		List<String> central;
		List<String> local;
		try {
			central = centralDirectory(archive, archiveBytes, buffer);
			local = localHeaders(archive, archiveBytes, buffer);
		}
		catch (Refused ex) {
			return ex.verdict;
		}
		catch (ZipException | IllegalArgumentException ex) {
			return new Verdict("xlsx-workbook", "the file is not a readable ZIP archive");
		}
		if (!central.equals(local)) {
			return new Verdict("zip-bomb", "the archive's central directory lists " + central.size() + " entries but its local headers "
					+ local.size() + (central.size() == local.size() ? " with other names" : "") + "; such archives hide content from checks");
		}
		if (central.isEmpty() || !central.contains("[Content_Types].xml") || !central.contains("xl/workbook.xml")) {
			return new Verdict("xlsx-workbook", "the archive is not an Excel workbook ([Content_Types].xml and xl/workbook.xml are required)");
		}
		return Verdict.OK;
	}

	/** Every entry the central directory lists, inflated; what Excel and POI see. */
	private static List<String> centralDirectory(Path archive, long archiveBytes, byte[] buffer) throws IOException, Refused {
		Budget budget = new Budget(archiveBytes);
		try (ZipFile zip = new ZipFile(archive.toFile())) {
			if (zip.size() > MAX_ENTRIES) {
				throw new Refused("zip-bomb", "the archive has more than " + MAX_ENTRIES + " entries");
			}
			Enumeration<? extends ZipEntry> entries = zip.entries();
			while (entries.hasMoreElements()) {
				ZipEntry entry = entries.nextElement();
				budget.entry(entry.getName());
				try (InputStream in = zip.getInputStream(entry)) {
					budget.inflate(in, buffer);
				}
			}
		}
		return budget.sortedNames();
	}

	/** The entries a streaming reader finds from the front of the file, under the same limits. */
	private static List<String> localHeaders(Path archive, long archiveBytes, byte[] buffer) throws IOException, Refused {
		Budget budget = new Budget(archiveBytes);
		try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
			ZipEntry entry;
			while ((entry = zip.getNextEntry()) != null) {
				budget.entry(entry.getName());
				budget.inflate(zip, buffer);
			}
		}
		return budget.sortedNames();
	}

}
