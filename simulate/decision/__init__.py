"""What a leader can act on: paired comparisons called better, worse, equivalent or undecided
against practical margins, corrected for the number of comparisons made at once."""
