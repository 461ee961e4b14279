package config

// EnvGitLabSetupToken names a token `shiftward setup gitlab` uses only to
// create the webhook, when the bot's own role (Developer is all reviews
// need) may not manage hooks: a Maintainer's for a project hook, an Owner's
// for a group hook. The server never reads it.
const EnvGitLabSetupToken = "SHIFTWARD_GITLAB_SETUP_TOKEN"
