variable "tenancy_id" {
  description = "value supplied by env var"
  default     = ""
}