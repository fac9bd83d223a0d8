"""Parse and store a document: the model, the parser stages, the store, readers."""
