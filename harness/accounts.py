"""The organisations and accounts a test widget has (running_widget makes them in a throw-away
database) or its partnership file names."""

# The practitioner the browser tests and the benchmarks sign in as.
TEST_ORG, TEST_USER, TEST_PASSWORD = "example-trust", "sam", "a long test password"

# An organisation of the insight tests' own (its figures are theirs alone), and the account there
# that the partnership file names for the insight page's partnership view.
INSIGHT_ORG, PARTNERSHIP_VIEWER = "insight-trust", "pat"
