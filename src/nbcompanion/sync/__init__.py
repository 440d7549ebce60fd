"""Two caregivers, two laptops: one record kept in step through a folder they share.

No Qt here. ``engine`` starts, joins, runs one round and stops sharing; ``document`` is the
Yjs document (pycrdt) with who-wrote-what and the conflicts; ``capture`` notes local edits
in the record and writes merged rows back; ``folder`` is the shared folder's layout;
``crypto`` seals every file with the family passphrase. The window runs rounds in a
separate process (``nbcompanion --data FILE --sync``), never in its own.
"""
