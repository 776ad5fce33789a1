package dev.keel.files;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Reads an XLSX candidate entry by entry, inflating every byte and counting what actually comes out
 * (never the sizes the headers claim), and stops at the first limit passed: entry count, total
 * inflated bytes, or inflated/compressed ratio. A workbook must hold {@code [Content_Types].xml} and
 * {@code xl/workbook.xml}.
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

	static Verdict inspect(InputStream content, long archiveBytes) throws IOException {
		Set<String> names = new HashSet<>();
		long inflated = 0;
		int entries = 0;
		byte[] buffer = new byte[64 * 1024];
		try (ZipInputStream zip = new ZipInputStream(content)) {
			ZipEntry entry;
			while ((entry = zip.getNextEntry()) != null) {
				if (++entries > MAX_ENTRIES) {
					return new Verdict("zip-bomb", "the archive has more than " + MAX_ENTRIES + " entries");
				}
				String name = entry.getName();
				if (name.startsWith("/") || name.contains("..") || name.contains("\\")) {
					return new Verdict("xlsx-workbook", "the archive holds an entry with a path outside the workbook");
				}
				names.add(name);
				int n;
				while ((n = zip.read(buffer)) > 0) {
					inflated += n;
					if (inflated > MAX_INFLATED_BYTES) {
						return new Verdict("zip-bomb", "the archive inflates to more than " + (MAX_INFLATED_BYTES >> 20) + " MB");
					}
					if (inflated > RATIO_FLOOR_BYTES && inflated > MAX_RATIO * Math.max(archiveBytes, 1)) {
						return new Verdict("zip-bomb", "the archive inflates more than " + MAX_RATIO + " times its size");
					}
				}
			}
		}
		catch (ZipException | IllegalArgumentException ex) {
			return new Verdict("xlsx-workbook", "the file is not a readable ZIP archive");
		}
		if (entries == 0 || !names.contains("[Content_Types].xml") || !names.contains("xl/workbook.xml")) {
			return new Verdict("xlsx-workbook", "the archive is not an Excel workbook ([Content_Types].xml and xl/workbook.xml are required)");
		}
		return Verdict.OK;
	}

}
