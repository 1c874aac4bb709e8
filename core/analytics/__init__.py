"""Analytics: the buffered event writer, the reports, metrics and error tracking."""
