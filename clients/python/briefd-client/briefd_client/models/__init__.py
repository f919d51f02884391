""" Contains all the data models used in inputs/outputs """

from .actor import Actor
from .actor_kind import ActorKind
from .actor_side import ActorSide
from .agency_report import AgencyReport
from .agency_scorecard import AgencyScorecard
from .agency_scorecard_deltas import AgencyScorecardDeltas
from .agency_scorecard_fees import AgencyScorecardFees
from .agency_task_report import AgencyTaskReport
from .agency_task_row import AgencyTaskRow
from .agency_task_row_answer_type_1 import AgencyTaskRowAnswerType1
from .agency_task_row_answer_type_2_type_1 import AgencyTaskRowAnswerType2Type1
from .agency_task_row_answer_type_3_type_1 import AgencyTaskRowAnswerType3Type1
from .api_key import ApiKey
from .api_key_page import ApiKeyPage
from .api_key_role import ApiKeyRole
from .approval_decision import ApprovalDecision
from .approval_decision_decision import ApprovalDecisionDecision
from .approval_policy import ApprovalPolicy
from .approval_policy_mode import ApprovalPolicyMode
from .attempt import Attempt
from .body_accept_invitation import BodyAcceptInvitation
from .body_add_task import BodyAddTask
from .body_cancel import BodyCancel
from .body_change_role import BodyChangeRole
from .body_change_role_role import BodyChangeRoleRole
from .body_comment import BodyComment
from .body_complete_password_reset import BodyCompletePasswordReset
from .body_create_api_key import BodyCreateApiKey
from .body_create_api_key_role import BodyCreateApiKeyRole
from .body_create_invitation import BodyCreateInvitation
from .body_create_invitation_role import BodyCreateInvitationRole
from .body_create_organization import BodyCreateOrganization
from .body_create_organization_admin_locale import BodyCreateOrganizationAdminLocale
from .body_create_organization_kind import BodyCreateOrganizationKind
from .body_create_project import BodyCreateProject
from .body_create_relationship import BodyCreateRelationship
from .body_create_webhook_endpoint import BodyCreateWebhookEndpoint
from .body_create_webhook_endpoint_event_types_item import BodyCreateWebhookEndpointEventTypesItem
from .body_decline import BodyDecline
from .body_empty import BodyEmpty
from .body_mark_notifications_read import BodyMarkNotificationsRead
from .body_reassign import BodyReassign
from .body_record_kpi_results import BodyRecordKpiResults
from .body_record_kpi_results_results import BodyRecordKpiResultsResults
from .body_remove_task import BodyRemoveTask
from .body_replay import BodyReplay
from .body_request_changes import BodyRequestChanges
from .body_request_password_reset import BodyRequestPasswordReset
from .body_service_levels import BodyServiceLevels
from .body_set_approval import BodySetApproval
from .body_set_due_date import BodySetDueDate
from .body_sign_in import BodySignIn
from .body_submit_delivery import BodySubmitDelivery
from .body_update_me import BodyUpdateMe
from .body_update_me_locale import BodyUpdateMeLocale
from .body_update_me_notifications import BodyUpdateMeNotifications
from .body_update_me_notifications_email import BodyUpdateMeNotificationsEmail
from .body_update_strategy import BodyUpdateStrategy
from .body_update_webhook_endpoint import BodyUpdateWebhookEndpoint
from .body_update_webhook_endpoint_event_types_item import BodyUpdateWebhookEndpointEventTypesItem
from .budget import Budget
from .calendar_feed import CalendarFeed
from .comment import Comment
from .comment_page import CommentPage
from .delivery import Delivery
from .delivery_page import DeliveryPage
from .delivery_round import DeliveryRound
from .delivery_status import DeliveryStatus
from .event import Event
from .event_data import EventData
from .event_data_details import EventDataDetails
from .event_data_project import EventDataProject
from .event_data_task_type_0 import EventDataTaskType0
from .event_page import EventPage
from .event_type import EventType
from .get_inbox_overdue import GetInboxOverdue
from .get_openapi_json_response_200 import GetOpenapiJsonResponse200
from .get_portfolio_state import GetPortfolioState
from .health import Health
from .history import History
from .history_entry import HistoryEntry
from .history_entry_data import HistoryEntryData
from .inbox_item import InboxItem
from .inbox_page import InboxPage
from .index import Index
from .invitation import Invitation
from .invitation_created import InvitationCreated
from .invitation_organization import InvitationOrganization
from .invitation_page import InvitationPage
from .invitation_role import InvitationRole
from .invitation_state import InvitationState
from .kpi import KPI
from .kpi_comparator import KPIComparator
from .list_deliveries_status import ListDeliveriesStatus
from .list_projects_overdue import ListProjectsOverdue
from .list_projects_state import ListProjectsState
from .list_relationships_state import ListRelationshipsState
from .me import Me
from .me_kind import MeKind
from .me_role import MeRole
from .member import Member
from .member_page import MemberPage
from .member_role import MemberRole
from .membership import Membership
from .membership_organization import MembershipOrganization
from .membership_organization_kind import MembershipOrganizationKind
from .membership_role import MembershipRole
from .notification import Notification
from .notification_kind import NotificationKind
from .notification_page import NotificationPage
from .notification_project import NotificationProject
from .notification_settings import NotificationSettings
from .notification_settings_email import NotificationSettingsEmail
from .notification_task_type_0 import NotificationTaskType0
from .notifications_read import NotificationsRead
from .organization import Organization
from .organization_created import OrganizationCreated
from .organization_kind import OrganizationKind
from .portfolio_report import PortfolioReport
from .portfolio_report_totals import PortfolioReportTotals
from .portfolio_report_totals_additional_property import PortfolioReportTotalsAdditionalProperty
from .problem import Problem
from .problem_code import ProblemCode
from .problem_errors_item import ProblemErrorsItem
from .problem_state_type_1 import ProblemStateType1
from .problem_state_type_2_type_1 import ProblemStateType2Type1
from .problem_state_type_3_type_1 import ProblemStateType3Type1
from .problem_task_state import ProblemTaskState
from .project import Project
from .project_kpi_results_type_0 import ProjectKpiResultsType0
from .project_kpi_results_type_0_actuals import ProjectKpiResultsType0Actuals
from .project_outcome_type_0 import ProjectOutcomeType0
from .project_outcome_type_0_kpis_item import ProjectOutcomeType0KpisItem
from .project_page import ProjectPage
from .project_report_row import ProjectReportRow
from .project_state import ProjectState
from .readiness import Readiness
from .readiness_status import ReadinessStatus
from .relationship import Relationship
from .relationship_answer import RelationshipAnswer
from .relationship_created import RelationshipCreated
from .relationship_page import RelationshipPage
from .relationship_state import RelationshipState
from .replayed import Replayed
from .session import Session
from .session_session import SessionSession
from .status import Status
from .strategy import Strategy
from .task import Task
from .task_state import TaskState
from .task_timeliness_type_1 import TaskTimelinessType1
from .task_timeliness_type_2_type_1 import TaskTimelinessType2Type1
from .task_timeliness_type_3_type_1 import TaskTimelinessType3Type1
from .task_waiting_on import TaskWaitingOn
from .unsubscribed import Unsubscribed
from .user import User
from .user_locale import UserLocale
from .webhook_endpoint import WebhookEndpoint
from .webhook_endpoint_event_types_item import WebhookEndpointEventTypesItem
from .webhook_endpoint_page import WebhookEndpointPage
from .webhook_payload_project_brief_issued import WebhookPayloadProjectBriefIssued
from .webhook_payload_project_brief_withdrawn import WebhookPayloadProjectBriefWithdrawn
from .webhook_payload_project_cancelled import WebhookPayloadProjectCancelled
from .webhook_payload_project_closed import WebhookPayloadProjectClosed
from .webhook_payload_project_created import WebhookPayloadProjectCreated
from .webhook_payload_project_delivery_started import WebhookPayloadProjectDeliveryStarted
from .webhook_payload_project_kpi_results_recorded import WebhookPayloadProjectKpiResultsRecorded
from .webhook_payload_project_kpi_review_started import WebhookPayloadProjectKpiReviewStarted
from .webhook_payload_project_strategy_updated import WebhookPayloadProjectStrategyUpdated
from .webhook_payload_project_task_added import WebhookPayloadProjectTaskAdded
from .webhook_payload_project_task_removed import WebhookPayloadProjectTaskRemoved
from .webhook_payload_task_accepted import WebhookPayloadTaskAccepted
from .webhook_payload_task_approval_set import WebhookPayloadTaskApprovalSet
from .webhook_payload_task_approved import WebhookPayloadTaskApproved
from .webhook_payload_task_changes_requested import WebhookPayloadTaskChangesRequested
from .webhook_payload_task_comment_resolved import WebhookPayloadTaskCommentResolved
from .webhook_payload_task_commented import WebhookPayloadTaskCommented
from .webhook_payload_task_decision_recorded import WebhookPayloadTaskDecisionRecorded
from .webhook_payload_task_declined import WebhookPayloadTaskDeclined
from .webhook_payload_task_delivered import WebhookPayloadTaskDelivered
from .webhook_payload_task_due_date_changed import WebhookPayloadTaskDueDateChanged
from .webhook_payload_task_due_soon import WebhookPayloadTaskDueSoon
from .webhook_payload_task_escalated import WebhookPayloadTaskEscalated
from .webhook_payload_task_overdue import WebhookPayloadTaskOverdue
from .webhook_payload_task_reassigned import WebhookPayloadTaskReassigned
from .webhook_payload_task_reminder_sent import WebhookPayloadTaskReminderSent
from .webhook_payload_task_response_overdue import WebhookPayloadTaskResponseOverdue
from .webhook_payload_task_review_overdue import WebhookPayloadTaskReviewOverdue
from .webhook_payload_webhook_endpoint_disabled import WebhookPayloadWebhookEndpointDisabled
from .workflow import Workflow
from .workflow_actions_item import WorkflowActionsItem

__all__ = (
    "Actor",
    "ActorKind",
    "ActorSide",
    "AgencyReport",
    "AgencyScorecard",
    "AgencyScorecardDeltas",
    "AgencyScorecardFees",
    "AgencyTaskReport",
    "AgencyTaskRow",
    "AgencyTaskRowAnswerType1",
    "AgencyTaskRowAnswerType2Type1",
    "AgencyTaskRowAnswerType3Type1",
    "ApiKey",
    "ApiKeyPage",
    "ApiKeyRole",
    "ApprovalDecision",
    "ApprovalDecisionDecision",
    "ApprovalPolicy",
    "ApprovalPolicyMode",
    "Attempt",
    "BodyAcceptInvitation",
    "BodyAddTask",
    "BodyCancel",
    "BodyChangeRole",
    "BodyChangeRoleRole",
    "BodyComment",
    "BodyCompletePasswordReset",
    "BodyCreateApiKey",
    "BodyCreateApiKeyRole",
    "BodyCreateInvitation",
    "BodyCreateInvitationRole",
    "BodyCreateOrganization",
    "BodyCreateOrganizationAdminLocale",
    "BodyCreateOrganizationKind",
    "BodyCreateProject",
    "BodyCreateRelationship",
    "BodyCreateWebhookEndpoint",
    "BodyCreateWebhookEndpointEventTypesItem",
    "BodyDecline",
    "BodyEmpty",
    "BodyMarkNotificationsRead",
    "BodyReassign",
    "BodyRecordKpiResults",
    "BodyRecordKpiResultsResults",
    "BodyRemoveTask",
    "BodyReplay",
    "BodyRequestChanges",
    "BodyRequestPasswordReset",
    "BodyServiceLevels",
    "BodySetApproval",
    "BodySetDueDate",
    "BodySignIn",
    "BodySubmitDelivery",
    "BodyUpdateMe",
    "BodyUpdateMeLocale",
    "BodyUpdateMeNotifications",
    "BodyUpdateMeNotificationsEmail",
    "BodyUpdateStrategy",
    "BodyUpdateWebhookEndpoint",
    "BodyUpdateWebhookEndpointEventTypesItem",
    "Budget",
    "CalendarFeed",
    "Comment",
    "CommentPage",
    "Delivery",
    "DeliveryPage",
    "DeliveryRound",
    "DeliveryStatus",
    "Event",
    "EventData",
    "EventDataDetails",
    "EventDataProject",
    "EventDataTaskType0",
    "EventPage",
    "EventType",
    "GetInboxOverdue",
    "GetOpenapiJsonResponse200",
    "GetPortfolioState",
    "Health",
    "History",
    "HistoryEntry",
    "HistoryEntryData",
    "InboxItem",
    "InboxPage",
    "Index",
    "Invitation",
    "InvitationCreated",
    "InvitationOrganization",
    "InvitationPage",
    "InvitationRole",
    "InvitationState",
    "KPI",
    "KPIComparator",
    "ListDeliveriesStatus",
    "ListProjectsOverdue",
    "ListProjectsState",
    "ListRelationshipsState",
    "Me",
    "MeKind",
    "Member",
    "MemberPage",
    "MemberRole",
    "Membership",
    "MembershipOrganization",
    "MembershipOrganizationKind",
    "MembershipRole",
    "MeRole",
    "Notification",
    "NotificationKind",
    "NotificationPage",
    "NotificationProject",
    "NotificationSettings",
    "NotificationSettingsEmail",
    "NotificationsRead",
    "NotificationTaskType0",
    "Organization",
    "OrganizationCreated",
    "OrganizationKind",
    "PortfolioReport",
    "PortfolioReportTotals",
    "PortfolioReportTotalsAdditionalProperty",
    "Problem",
    "ProblemCode",
    "ProblemErrorsItem",
    "ProblemStateType1",
    "ProblemStateType2Type1",
    "ProblemStateType3Type1",
    "ProblemTaskState",
    "Project",
    "ProjectKpiResultsType0",
    "ProjectKpiResultsType0Actuals",
    "ProjectOutcomeType0",
    "ProjectOutcomeType0KpisItem",
    "ProjectPage",
    "ProjectReportRow",
    "ProjectState",
    "Readiness",
    "ReadinessStatus",
    "Relationship",
    "RelationshipAnswer",
    "RelationshipCreated",
    "RelationshipPage",
    "RelationshipState",
    "Replayed",
    "Session",
    "SessionSession",
    "Status",
    "Strategy",
    "Task",
    "TaskState",
    "TaskTimelinessType1",
    "TaskTimelinessType2Type1",
    "TaskTimelinessType3Type1",
    "TaskWaitingOn",
    "Unsubscribed",
    "User",
    "UserLocale",
    "WebhookEndpoint",
    "WebhookEndpointEventTypesItem",
    "WebhookEndpointPage",
    "WebhookPayloadProjectBriefIssued",
    "WebhookPayloadProjectBriefWithdrawn",
    "WebhookPayloadProjectCancelled",
    "WebhookPayloadProjectClosed",
    "WebhookPayloadProjectCreated",
    "WebhookPayloadProjectDeliveryStarted",
    "WebhookPayloadProjectKpiResultsRecorded",
    "WebhookPayloadProjectKpiReviewStarted",
    "WebhookPayloadProjectStrategyUpdated",
    "WebhookPayloadProjectTaskAdded",
    "WebhookPayloadProjectTaskRemoved",
    "WebhookPayloadTaskAccepted",
    "WebhookPayloadTaskApprovalSet",
    "WebhookPayloadTaskApproved",
    "WebhookPayloadTaskChangesRequested",
    "WebhookPayloadTaskCommented",
    "WebhookPayloadTaskCommentResolved",
    "WebhookPayloadTaskDecisionRecorded",
    "WebhookPayloadTaskDeclined",
    "WebhookPayloadTaskDelivered",
    "WebhookPayloadTaskDueDateChanged",
    "WebhookPayloadTaskDueSoon",
    "WebhookPayloadTaskEscalated",
    "WebhookPayloadTaskOverdue",
    "WebhookPayloadTaskReassigned",
    "WebhookPayloadTaskReminderSent",
    "WebhookPayloadTaskResponseOverdue",
    "WebhookPayloadTaskReviewOverdue",
    "WebhookPayloadWebhookEndpointDisabled",
    "Workflow",
    "WorkflowActionsItem",
)
