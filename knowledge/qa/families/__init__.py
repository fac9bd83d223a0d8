"""Record answers, one module per family; :class:`knowledge.qa.records.RecordAnswerer` orders them.

Read as typed: :mod:`.elsewhere` (another province), :mod:`.header` (the document's number,
date, signer), :mod:`.overview` (the whole appendix, or help). Read on the corrected topic:
:mod:`.task` (a task by its code, a column of it), :mod:`.agency` (a body's tasks and duties),
:mod:`.quarter` (tasks due in a quarter), :mod:`.area` (an area's targets), and last
:mod:`.search` (the records that best cover the topic). :mod:`.replies` says what the records
do not answer; :mod:`.browse` serves the bot's commands and pickers; :mod:`.common` holds what
the families share.
"""
