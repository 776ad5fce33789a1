package dev.keel.storage;

import java.io.IOException;

/** {@link ObjectStore#get} of a key that holds no object. */
public class ObjectNotFoundException extends IOException {

	public ObjectNotFoundException(String key) {
		super("no object at " + key);
	}

}
