"""ITC2007 examination track: file formats, independent checker, command line."""
