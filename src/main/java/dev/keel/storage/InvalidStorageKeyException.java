package dev.keel.storage;

/** A key outside {@link StorageKeys}' grammar; a programming error, never user input passed through. */
public class InvalidStorageKeyException extends IllegalArgumentException {

	public InvalidStorageKeyException(String message) {
		super(message);
	}

}
