"""Compose answers: the direct answer first, then the records, then the source reference.

One module per family of answers: :mod:`.listing` (task lists and counts), :mod:`.check`
(a yes/no guess corrected), :mod:`.parts` (several questions in one message),
:mod:`.refusal` (what the document does not give), :mod:`.progress` (where tasks stand).
"""
