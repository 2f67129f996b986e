"""What leaves the app as files or text: chart images, PDF reports, spreadsheets, terminal text
and the presentation (labels and formats) they share with the pages."""
