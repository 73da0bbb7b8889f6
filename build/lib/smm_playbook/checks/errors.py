"""Outcomes a question's grading code raises to report a result."""


class NotAttempted(Exception):
    """The learner has not yet replaced the placeholder."""


class Incorrect(Exception):
    """The answer is wrong; the message says how, never what the answer is."""
